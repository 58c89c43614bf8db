import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";
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
});
