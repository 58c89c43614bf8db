import "server-only";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";
import type { EffectDefinition } from "@/lib/outbox/define-effect";
import { limits } from "@/lib/config/limits";
import { DeferEffect } from "@/lib/outbox/defer-effect";
import { RetryLater } from "@/lib/outbox/retry-later";

/**
 * Delivers due jobs once. Each job is leased with FOR UPDATE SKIP LOCKED, so
 * several instances can run this at once without taking the same job; a job
 * whose runner died is picked up again when its lease runs out. Failures back
 * off exponentially, with jitter (and not before a RetryLater's time), and a job that keeps failing is marked dead, not retried
 * for ever; a handler that throws DeferEffect is put back for later without
 * counting as a failure. A stored payload that its effect's schema refuses fails like a
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
  const jobs = await db().$queryRaw<LeasedJob[]>`
    UPDATE "OutboxJob" SET "lockedUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxJob"
      WHERE "status" = 'pending' AND "runAfter" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        AND "kind" = ANY(${kinds})
      ORDER BY "runAfter" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "payload", "idempotencyKey", "attempts"`;
  // Jobs of one effect run one after another unless the effect allows more at once; effects in turn.
  const groups = new Map<EffectDefinition, LeasedJob[]>();
  for (const job of jobs) {
    const effect = byKind.get(job.kind);
    if (effect) groups.set(effect, [...(groups.get(effect) ?? []), job]);
  }
  for (const [effect, group] of groups) await inPool(group, effect.concurrency ?? 1, (job) => runJob(effect, job));
  return jobs.length;
}

type LeasedJob = {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  attempts: number;
};

async function runJob(effect: EffectDefinition, job: LeasedJob): Promise<void> {
  try {
    await effect.handle(effect.schema.parse(job.payload), job);
    // A prepared statement: a fan-out completes a thousand jobs at once (lib/db/prepared-query.ts).
    await preparedQuery(
      "outbox_job_done",
      `UPDATE "OutboxJob" SET "status" = 'done', "doneAt" = now() AT TIME ZONE 'UTC', "lockedUntil" = NULL,
         "lastError" = NULL WHERE "id" = $1`,
      [job.id],
    );
  } catch (e) {
    if (e instanceof DeferEffect) {
      await db().outboxJob.update({
        where: { id: job.id },
        data: { lockedUntil: null, lastError: e.message.slice(0, 1000), runAfter: e.until, attempts: job.attempts - 1 },
      });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    const dead = job.attempts >= (effect.maxAttempts ?? limits.outbox.maxAttempts);
    // Doubling, capped at an hour, spread by ±25% so that jobs failing together (a fan-out to one receiver that
    // went down) do not all come back at the same moment; never before a time the failure named (Retry-After).
    const backoffMs = Math.min(2 ** job.attempts * 1000, 3_600_000) * (0.75 + Math.random() * 0.5);
    const hintedMs = e instanceof RetryLater ? e.notBefore.getTime() - Date.now() : 0;
    await db().outboxJob.update({
      where: { id: job.id },
      data: {
        status: dead ? "dead" : "pending",
        lockedUntil: null,
        lastError: message.slice(0, 1000),
        runAfter: new Date(Date.now() + Math.max(backoffMs, hintedMs)),
      },
    });
    log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, dead, err: message }, "outbox job failed");
    metrics().outboxJobFailures.inc({ kind: job.kind });
  }
}

/** Runs `work` over the items with at most `size` in flight. */
async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
