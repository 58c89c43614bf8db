import "server-only";
import { engine } from "@/lib/db/client";
import { backgroundTaskLockClass } from "@/lib/db/advisory-locks";

export type ExclusiveRun<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `task` unless another process (another portal instance, the CLI) is
 * running the task of the same name: a session-level advisory lock on a
 * connection held for the whole run. The lock dies with its connection, so an
 * instance killed mid-run, or a database failover, frees it at once; the
 * tasks run this way are idempotent, so a rare overlap after a lost
 * connection repeats work, never doubles it. On the embedded database one
 * process owns everything and the task simply runs.
 */
export async function runExclusively<T>(name: string, task: () => Promise<T>): Promise<ExclusiveRun<T>> {
  const e = engine();
  if (e.kind === "pglite") return { ran: true, value: await task() };
  const connection = await e.pool.connect();
  let locked = false;
  let broken: Error | undefined;
  try {
    const { rows } = await connection.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
      [backgroundTaskLockClass, name],
    );
    locked = rows[0].locked;
    if (!locked) return { ran: false };
    return { ran: true, value: await task() };
  } finally {
    if (locked) {
      await connection
        .query("SELECT pg_advisory_unlock($1, hashtext($2))", [backgroundTaskLockClass, name])
        .catch((err: Error) => {
          broken = err;
        });
    }
    // A connection whose unlock failed is dropped, and its lock with it.
    connection.release(broken);
  }
}
