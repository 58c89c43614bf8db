/**
 * The appenders of `npm run bench:log`'s sustained part (scripts/bench-log.ts), in a process of their own, as
 * the acts of a portal's other instances append while one instance integrates: WORKERS connections, each
 * running transactions of BATCH events, one INSERT per event (appendAuditEvent's statement and row, prepared
 * once per connection), each commit waiting for its WAL flush. Logged segments insert into AuditEvent, plain
 * ones the same rows into BenchPlainEvent (the baseline). Driven over IPC by the bench:
 * - in: `{ segment: { logged, ms, ratePerSecond? } }`, `{ stop: true }`;
 * - out: `{ ready: true }` once loaded, `{ committed: { ids, at } }` after each commit (`at`: epoch milliseconds), then
 *   `{ segmentDone: { appended, ms, cpuMs } }` (this process's CPU time over the segment).
 */
import pg from "pg";
import { auditEventRow, INSERT_AUDIT_EVENT } from "@/lib/audit/append-audit-event";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 20);
const INSERT_PLAIN = INSERT_AUDIT_EVENT.replace('"AuditEvent"', '"BenchPlainEvent"');
// Idle connections are kept between segments: the bench counts the CPU of the backends it sees.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: WORKERS, idleTimeoutMillis: 0 });
let serial = 0;

const row = () => {
  const n = serial++;
  return auditEventRow(
    {
      actor: { type: "system", id: "bench" },
      action: "ticket_sale.fulfilled",
      subject: { type: "order", id: `ord_${process.pid}_${n}` },
      state: { n },
      data: { n },
    },
    "req_bench",
  );
};

async function transaction(connection: pg.PoolClient, logged: boolean): Promise<string[]> {
  const rows = Array.from({ length: BATCH }, row);
  await connection.query("BEGIN");
  try {
    for (const values of rows)
      await connection.query({
        name: logged ? "bench_append_logged" : "bench_append_plain",
        text: logged ? INSERT_AUDIT_EVENT : INSERT_PLAIN,
        values,
      });
    await connection.query("COMMIT");
  } catch (e) {
    await connection.query("ROLLBACK");
    throw e;
  }
  return rows.map((r) => r[0]);
}

/**
 * One segment of `ms`: every worker commits transactions back to back, or, with `ratePerSecond`, on a schedule that
 * appends that many events a second in all (the workers take turns; one that falls behind its schedule goes on at
 * once, skipping nothing, so a rate the machine cannot hold shows as a lower rate, not as fewer late events).
 */
async function segment(logged: boolean, ms: number, ratePerSecond?: number) {
  const cpuFrom = process.cpuUsage();
  const started = performance.now();
  const until = started + ms;
  // A worker's time between its transactions on a schedule, and its first one's offset (spread over the interval).
  const interval = ratePerSecond ? (WORKERS * BATCH * 1000) / ratePerSecond : 0;
  let appended = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      const connection = await pool.connect();
      let next = started + (interval * worker) / WORKERS;
      try {
        while (performance.now() < until) {
          if (interval) {
            if (next >= until) break;
            const wait = next - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            next += interval;
          }
          const ids = await transaction(connection, logged);
          appended += ids.length;
          process.send?.({ committed: { ids, at: performance.timeOrigin + performance.now() } });
        }
      } finally {
        connection.release();
      }
    }),
  );
  const cpu = process.cpuUsage(cpuFrom);
  process.send?.({ segmentDone: { appended, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 } });
}

// Loaded and ready: the bench times nothing before this.
process.send?.({ ready: true });
process.on("message", (message: { segment?: { logged: boolean; ms: number; ratePerSecond?: number }; stop?: true }) => {
  if (message.segment)
    segment(message.segment.logged, message.segment.ms, message.segment.ratePerSecond).catch((e) => {
      console.error(e);
      process.exit(1);
    });
  if (message.stop) void pool.end().then(() => process.exit(0));
});
