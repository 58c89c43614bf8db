import "server-only";
import client from "prom-client";
import { db, engine } from "@/lib/db/client";
import type { Metrics } from "@/lib/ops/metrics";

type DatabaseFigures = {
  pendingJobs: number;
  oldestPendingAgeSeconds: number;
  deadJobs: number;
  failedPayoutItems: number;
  logPendingEntries: number;
  logIntegrationLagSeconds: number;
};

async function readDatabaseFigures(): Promise<DatabaseFigures> {
  // Ages from the database's clock, which every instance shares; the outbox index (status, runAfter) serves both counts.
  const [outbox] = await db().$queryRaw<{ pending: bigint; dead: bigint; oldest: number | null }[]>`
    SELECT count(*) FILTER (WHERE "status" = 'pending') AS pending,
           count(*) FILTER (WHERE "status" = 'dead') AS dead,
           extract(epoch FROM (now() AT TIME ZONE 'UTC') - min("createdAt") FILTER (WHERE "status" = 'pending'))::float8 AS oldest
    FROM "OutboxJob" WHERE "status" IN ('pending', 'dead')`;
  const [payouts] = await db().$queryRaw<
    { failed: bigint }[]
  >`SELECT count(*) AS failed FROM "PayoutItem" WHERE "status" = 'failed'`;
  // Audit events not yet in a signed checkpoint (placed or still waiting for the sequencer), and how long the
  // oldest has waited: from the latest checkpoint's size, the last placement and the events at or above its
  // transaction-id cut-off with no placement (the sequencer's own look, lib/audit/sequence-audit-events.ts).
  const [log] = await db().$queryRaw<{ pending: bigint; lag: number | null }[]>`
    WITH head AS (SELECT coalesce(max("size"), 0) AS size FROM "LogCheckpoint"),
         placed AS (SELECT coalesce(max("seq"), 0) AS seq, coalesce((SELECT "horizon" FROM "AuditPlacement"
                      ORDER BY "seq" DESC LIMIT 1), 0) AS horizon FROM "AuditPlacement"),
         waiting AS (SELECT count(*) AS n, min(e."occurredAt") AS oldest FROM "AuditEvent" e, placed
                      WHERE e."xact" >= CASE WHEN placed.horizon <= pg_snapshot_xmax(pg_current_snapshot())::text::bigint
                                             THEN placed.horizon ELSE 0 END
                        AND NOT EXISTS (SELECT 1 FROM "AuditPlacement" p WHERE p."eventId" = e."id"))
    SELECT greatest(placed.seq - head.size, 0) + waiting.n AS pending,
           extract(epoch FROM (now() AT TIME ZONE 'UTC') - coalesce(
             (SELECT e."occurredAt" FROM "AuditPlacement" p JOIN "AuditEvent" e ON e."id" = p."eventId"
               WHERE p."seq" = head.size + 1), waiting.oldest))::float8 AS lag
    FROM head, placed, waiting`;
  return {
    pendingJobs: Number(outbox.pending),
    deadJobs: Number(outbox.dead),
    oldestPendingAgeSeconds: Math.max(0, outbox.oldest ?? 0),
    failedPayoutItems: Number(payouts.failed),
    logPendingEntries: Math.max(0, Number(log.pending)),
    logIntegrationLagSeconds: Math.max(0, log.lag ?? 0),
  };
}

/**
 * Gauges read when Prometheus scrapes: the database pool of this process,
 * the outbox backlog and the age of its oldest pending effect, dead effects,
 * payout items whose transfer failed, and the log's integration backlog and
 * lag. The database figures are one read per scrape, shared by the gauges; while the database does not answer,
 * guildhall_metrics_database_up is 0 and the others keep their last value.
 */
export function registerDatabaseGauges(m: Metrics): void {
  const registers = [m.registry];
  let pending: Promise<DatabaseFigures | undefined> | undefined;
  const figures = () => {
    pending ??= readDatabaseFigures()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), 500).unref());
    return pending;
  };
  const fromDatabase = (name: string, help: string, pick: (f: DatabaseFigures) => number) =>
    new client.Gauge({
      name,
      help,
      registers,
      async collect() {
        const f = await figures();
        if (f) this.set(pick(f));
      },
    });
  new client.Gauge({
    name: "guildhall_metrics_database_up",
    help: "1 when the last scrape could read the database",
    registers,
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  fromDatabase(
    "guildhall_outbox_pending_jobs",
    "Outgoing effects waiting for delivery (the outbox backlog)",
    (f) => f.pendingJobs,
  );
  fromDatabase(
    "guildhall_outbox_oldest_pending_age_seconds",
    "Age of the oldest effect waiting for delivery",
    (f) => f.oldestPendingAgeSeconds,
  );
  fromDatabase(
    "guildhall_outbox_dead_jobs",
    "Effects given up after their last attempt (need an operator)",
    (f) => f.deadJobs,
  );
  fromDatabase(
    "guildhall_payout_items_failed",
    "Payout items whose transfer failed (awaiting retry or void)",
    (f) => f.failedPayoutItems,
  );
  fromDatabase(
    "guildhall_log_pending_entries",
    "Audit events sequenced but not yet integrated into a signed log checkpoint",
    (f) => f.logPendingEntries,
  );
  fromDatabase(
    "guildhall_log_integration_lag_seconds",
    "How long the oldest entry not yet in a signed checkpoint has waited (0 when the log is integrated)",
    (f) => f.logIntegrationLagSeconds,
  );
  new client.Gauge({
    name: "guildhall_db_pool_connections",
    help: "This process's PostgreSQL pool: total, idle, and requests waiting for a connection",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const e = engine();
      if (e.kind !== "postgres") return;
      this.set({ state: "total" }, e.pool.totalCount);
      this.set({ state: "idle" }, e.pool.idleCount);
      this.set({ state: "waiting" }, e.pool.waitingCount);
    },
  });
}
