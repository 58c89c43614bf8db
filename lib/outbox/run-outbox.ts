import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";
import type { EffectDefinition } from "@/lib/outbox/define-effect";
import { limits } from "@/lib/config/limits";

/**
 * Delivers due jobs once. Each job is leased with FOR UPDATE SKIP LOCKED, so
 * several instances can run this at once without taking the same job; a job
 * whose runner died is picked up again when its lease runs out. Failures back
 * off exponentially and a job that keeps failing is marked dead, not retried
 * for ever. A stored payload that its effect's schema refuses fails like a
 * handler that throws.
 */
export async function runOutboxOnce(
  effects: readonly EffectDefinition[],
  limit: number = limits.outbox.batchSize,
): Promise<number> {
  const byKind = new Map(effects.map((e) => [e.kind, e]));
  const kinds = [...byKind.keys()];
  if (kinds.length === 0) return 0;
  const now = new Date();
  const leaseUntil = new Date(now.getTime() + limits.outbox.leaseMs);
  const jobs = await db().$queryRaw<
    { id: string; kind: string; payload: Record<string, unknown>; idempotencyKey: string; attempts: number }[]
  >`
    UPDATE "OutboxJob" SET "lockedUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxJob"
      WHERE "status" = 'pending' AND "runAfter" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        AND "kind" = ANY(${kinds})
      ORDER BY "runAfter" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "payload", "idempotencyKey", "attempts"`;
  for (const job of jobs) {
    try {
      const effect = byKind.get(job.kind)!;
      await effect.handle(effect.schema.parse(job.payload), job);
      await db().outboxJob.update({
        where: { id: job.id },
        data: { status: "done", doneAt: new Date(), lockedUntil: null, lastError: null },
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const dead = job.attempts >= limits.outbox.maxAttempts;
      const backoffMs = Math.min(2 ** job.attempts * 1000, 3_600_000);
      await db().outboxJob.update({
        where: { id: job.id },
        data: {
          status: dead ? "dead" : "pending",
          lockedUntil: null,
          lastError: message.slice(0, 1000),
          runAfter: new Date(Date.now() + backoffMs),
        },
      });
      log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, dead, err: message }, "outbox job failed");
      metrics().outboxJobFailures.inc({ kind: job.kind });
    }
  }
  return jobs.length;
}
