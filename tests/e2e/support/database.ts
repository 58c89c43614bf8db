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
