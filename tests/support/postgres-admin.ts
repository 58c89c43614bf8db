import crypto from "node:crypto";
import pg from "pg";

/** The machine's Postgres server, for making and dropping throwaway databases. */
export const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function throwawayName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(4).toString("hex")}`;
}

export async function createDatabase(name: string, template?: string): Promise<string> {
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`));
  return databaseUrl(name);
}

/**
 * A copy of `template` for one integration test file (or one CLI or import under test): a
 * throwaway database whose commits do not wait for the disk. synchronous_commit = off changes
 * nothing a session sees (a commit is visible, ordered and notified as before); it only lets a
 * server crash lose the last fraction of a second, which no integration test stages (the fault
 * suites that kill processes make their databases with createDatabase). Each commit otherwise
 * waits for a WAL flush, 2-3 ms on this machine's disk and far more while it is shared, and a
 * file commits hundreds of times. A database's settings are not copied from its template, so
 * each copy gets its own.
 */
export async function createTestDatabase(name: string, template: string): Promise<string> {
  await withAdmin(async (c) => {
    await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await c.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
