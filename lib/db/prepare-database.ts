import "server-only";
import pg from "pg";
import { engine } from "@/lib/db/client";
import { applyMigrations, pgRunner, pgliteRunner } from "@/lib/db/apply-migrations";
import { log } from "@/lib/log";

/**
 * Brings the database up to the committed migrations. Runs at every start
 * (and in `cli db migrate`); the migration runner's advisory lock lets several
 * instances start together.
 */
export async function prepareDatabase(): Promise<string[]> {
  const e = engine();
  let applied: string[];
  if (e.kind === "pglite") {
    applied = await applyMigrations(pgliteRunner(e.pglite));
  } else {
    const client = new pg.Client({ connectionString: e.url });
    await client.connect();
    try {
      applied = await applyMigrations(pgRunner(client));
    } finally {
      await client.end();
    }
  }
  if (applied.length) log.info({ applied }, "migrations applied");
  return applied;
}
