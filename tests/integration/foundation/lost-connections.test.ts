import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";
import { runExclusively } from "@/lib/db/run-exclusively";
import { env } from "@/lib/config/env";
import { withAdmin } from "@/tests/support/postgres-admin";
import { defined } from "../../support/defined";

describe("database connections the server ends", () => {
  // Only a Postgres server has connections to end; the embedded engine lives in this process.
  it.runIf(process.env.TEST_DB === "postgres")(
    "are replaced on the next query, without ending the process",
    async () => {
      // Several connections, so some sit idle in the pool when the server ends them.
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          preparedQuery("test_lost_connections", "SELECT pg_sleep(0.05), $1::int AS n", [i]),
        ),
      );
      const database = new URL(defined(env().databaseUrl)).pathname.slice(1);
      const ended = await withAdmin(
        async (c) =>
          (
            await c.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
              [database],
            )
          ).rowCount,
      );
      expect(ended).toBeGreaterThan(0);
      // The idle connections' errors arrive now; an unhandled one would fail this run.
      await new Promise((r) => setTimeout(r, 200));
      expect(await db().user.count()).toBeGreaterThanOrEqual(0);
      expect(
        await preparedQuery<{ n: number }>("test_lost_connections", "SELECT pg_sleep(0), $1::int AS n", [7]),
      ).toEqual([{ pg_sleep: "", n: 7 }]);
    },
  );

  it.runIf(process.env.TEST_DB === "postgres")(
    "fail the transaction that held one between two queries, without ending the process",
    async () => {
      const database = new URL(defined(env().databaseUrl)).pathname.slice(1);
      // A transaction between two of its queries (waiting on a provider, say) while the server ends its
      // connection: the checked-out client's error has no pool listener then, and would end the process.
      const held = db().$transaction(
        async (tx) => {
          const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await withAdmin((c) =>
            c.query("SELECT pg_terminate_backend($1) FROM pg_database WHERE datname = $2", [pid, database]),
          );
          await new Promise((r) => setTimeout(r, 200));
          return tx.$queryRaw`SELECT 1`;
        },
        { timeout: 20_000 },
      );
      await expect(held).rejects.toThrow();
      expect(await db().user.count()).toBeGreaterThanOrEqual(0);
    },
  );

  it.runIf(process.env.TEST_DB === "postgres")(
    "end a background task's lock connection without ending the process",
    async () => {
      const database = new URL(defined(env().databaseUrl)).pathname.slice(1);
      // runExclusively holds a checked-out connection (its advisory lock) for the whole task, with no query
      // on it: the pool listens to its errors only while it is idle, so without a listener of its own the
      // server ending it (a failover, an administrator) would end the whole process mid-task.
      const outcome = await runExclusively("test-lost-lock-connection", async () => {
        const ended = await withAdmin(
          async (c) =>
            (
              await c.query(
                `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND a.datname = $1`,
                [database],
              )
            ).rowCount,
        );
        await new Promise((r) => setTimeout(r, 300));
        return ended;
      });
      expect(outcome).toEqual({ ran: true, value: 1 });
      expect(await db().user.count()).toBeGreaterThanOrEqual(0);
      // The lock died with its connection: the task can run again at once.
      expect(await runExclusively("test-lost-lock-connection", async () => "again")).toEqual({
        ran: true,
        value: "again",
      });
    },
  );
});
