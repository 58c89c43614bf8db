import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, migrationChecksum, pgRunner, readMigrations } from "@/lib/db/apply-migrations";

/** The committed migrations on the real PostgreSQL server, in a throwaway database. */
const server = "postgres://postgres@127.0.0.1:5432";
const dbName = `gh_mig_${randomBytes(6).toString("hex")}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function connect(): pg.Client {
  return new pg.Client({ connectionString: `${server}/${dbName}` });
}

describe("applyMigrations on PostgreSQL", () => {
  beforeAll(() => admin(`CREATE DATABASE ${dbName}`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));

  it("applies all migrations once, even with two instances starting together", async () => {
    const committed = readMigrations();
    const [a, b] = [connect(), connect()];
    await Promise.all([a.connect(), b.connect()]);
    try {
      // The advisory lock serialises them: one applies everything, the other nothing.
      const results = await Promise.all([applyMigrations(pgRunner(a)), applyMigrations(pgRunner(b))]);
      expect(results.map((r) => r.length).sort()).toEqual([0, committed.length]);
      expect(await applyMigrations(pgRunner(a))).toEqual([]);

      const { rows } = await a.query(
        "SELECT id, checksum, migration_name, finished_at, started_at, logs, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
      );
      expect(rows).toHaveLength(committed.length);
      for (const [i, r] of rows.entries()) {
        expect(r.migration_name).toBe(committed[i].name);
        expect(r.checksum).toBe(migrationChecksum(committed[i].sql));
        expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
        expect(r).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
      }
      const triggers = await a.query(
        `SELECT tgname FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND NOT tgisinternal ORDER BY tgname`,
      );
      expect(triggers.rows.map((r) => r.tgname)).toEqual(["AuditEvent_append_only", "AuditEvent_no_truncate"]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
