import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";

/**
 * Records an outgoing effect (mail, webhook call, transfer) in the caller's
 * transaction. It is delivered after commit by the outbox runner, at least
 * once; the idempotency key makes a second enqueue of the same effect a no-op
 * and is what the handler passes on to the outside world.
 */
export async function enqueueEffect(tx: Tx, kind: string, payload: Record<string, unknown>, idempotencyKey: string) {
  const existing = await tx.outboxJob.findUnique({ where: { idempotencyKey }, select: { id: true } });
  if (existing) return existing;
  return tx.outboxJob.create({ data: { id: newId("job"), kind, payload: payload as object, idempotencyKey }, select: { id: true } });
}
