import pg from "pg";
import { printPageTimesSummary } from "./page-times-summary";

/**
 * Prints the journeys' page server times (./page-times-summary.ts), then drops
 * the run's database. Playwright stops the web server with a signal the server
 * script cannot always act on, so the drop happens here as well (WITH FORCE
 * ends the server's remaining connections).
 */
export default async function globalTeardown() {
  printPageTimesSummary();
  const name = process.env.E2E_DATABASE;
  if (!name || !/^gh_e2e_[a-z0-9]+$/.test(name)) return;
  const c = new pg.Client({
    connectionString: process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
