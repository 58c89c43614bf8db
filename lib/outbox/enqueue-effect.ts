import "server-only";
import type { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { EffectDefinition } from "@/lib/outbox/define-effect";

/**
 * Records an outgoing effect in the caller's transaction. It is delivered
 * after commit by the outbox runner, at least once; the idempotency key makes
 * a second enqueue of the same effect a no-op and is what the handler passes
 * on to the outside world. The payload is checked against the effect's
 * schema here, so a bad one fails the caller's transaction, not a later run.
 */
export async function enqueueEffect<Schema extends z.ZodType>(
  tx: Tx,
  effect: EffectDefinition<Schema>,
  payload: z.input<Schema>,
  idempotencyKey: string,
) {
  const checked = effect.schema.parse(payload);
  const existing = await tx.outboxJob.findUnique({ where: { idempotencyKey }, select: { id: true } });
  if (existing) return existing;
  return tx.outboxJob.create({
    data: { id: newId("job"), kind: effect.kind, payload: checked as object, idempotencyKey },
    select: { id: true },
  });
}

/**
 * Records many jobs of one effect at once (a fan-out), in two statements
 * whatever their number. A job whose idempotency key exists already is
 * skipped, so running the fan-out again enqueues nothing twice.
 */
export async function enqueueEffects<Schema extends z.ZodType>(
  tx: Tx,
  effect: EffectDefinition<Schema>,
  jobs: { payload: z.input<Schema>; idempotencyKey: string }[],
): Promise<number> {
  if (jobs.length === 0) return 0;
  const { count } = await tx.outboxJob.createMany({
    data: jobs.map((j) => ({
      id: newId("job"),
      kind: effect.kind,
      payload: effect.schema.parse(j.payload) as object,
      idempotencyKey: j.idempotencyKey,
    })),
    skipDuplicates: true,
  });
  return count;
}
