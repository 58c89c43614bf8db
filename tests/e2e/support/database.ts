import pg from "pg";

/** The e2e run's database (made by scripts/e2e-server.mjs), for reading what the portal wrote. */
export function e2eDatabaseUrl(): string {
  const admin = new URL(process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  admin.pathname = `/${process.env.E2E_DATABASE}`;
  return admin.toString();
}

export async function queryE2e<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Runs `fn` while holding a lock named `name` across every test worker: a
 * Postgres session advisory lock on the e2e database, released when its
 * connection closes. Two-key form, so it never meets the portal's own
 * advisory locks (all one-key).
 */
export async function withE2eLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    await c.query("SELECT pg_advisory_lock(4242, hashtext($1))", [name]);
    return await fn();
  } finally {
    await c.end();
  }
}
