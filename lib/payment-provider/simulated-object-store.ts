import "server-only";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Simulated sessions take payment for 24 hours, as Stripe's do by default. */
export const SIMULATED_SESSION_SECONDS = 86_400;

/**
 * Creates one SimulatedProviderObject per idempotency key: a second call with the key answers the first
 * object, so the simulated provider's writes are idempotent by key as Stripe's are.
 */
export async function createSimulatedObjectOnce(
  kind: string,
  idempotencyKey: string,
  data: Omit<Prisma.SimulatedProviderObjectCreateInput, "id" | "kind" | "idempotencyKey">,
  prefix: string,
) {
  const existing = await db().simulatedProviderObject.findUnique({ where: { idempotencyKey } });
  if (existing) return existing;
  try {
    return await db().simulatedProviderObject.create({ data: { id: newId(prefix), kind, idempotencyKey, ...data } });
  } catch (e) {
    // Two callers with one key at once: the loser reads the winner's object, as Stripe answers a replay.
    if (isUniqueViolation(e)) return db().simulatedProviderObject.findUniqueOrThrow({ where: { idempotencyKey } });
    throw e;
  }
}
