import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { advisoryLockIds } from "@/lib/db/advisory-locks";

/** The two calls the runner needs, so it works on node-postgres and on PGlite alike. */
export interface SqlRunner {
  // biome-ignore lint/suspicious/noExplicitAny: rows are whatever the driver returns; the runner reads only the columns it selects.
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(sql: string): Promise<void>;
}

export function pgRunner(client: pg.Client): SqlRunner {
  return {
    query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }),
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    query: async (sql, params) => ({ rows: (await db.query(sql, params)).rows }),
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}

/** A committed migration: its folder name and the exact text of its migration.sql. */
export interface MigrationFile {
  name: string;
  sql: string;
}

/** Committed migrations, sorted by folder name as Prisma sorts them. */
export function readMigrations(migrationsDir = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(migrationsDir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8") }));
}

/** Prisma's checksum: sha256 of the script, lower-case hex. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

// Prisma also accepts the checksum of the script with other line endings, so a
// Windows checkout (CRLF) of the same migration is not reported as edited.
function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, "\n");
  return [sql, lf, lf.replace(/\n/g, "\r\n")].some((s) => migrationChecksum(s) === checksum);
}

// The same key stock Prisma's schema engine locks, so this runner and a
// `prisma migrate deploy` elsewhere also exclude each other.
const PRISMA_ADVISORY_LOCK_KEY = advisoryLockIds.prismaMigrations;

// Exactly the table stock Prisma creates for PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies the committed migrations not yet recorded in `_prisma_migrations`,
 * in order, each in its own transaction. Returns the names applied.
 * Throws, applying nothing, when an applied migration's file was edited or a
 * migration is recorded as failed (as stock Prisma would, P3009/P3006-style).
 */
export async function applyMigrations(run: SqlRunner, migrationsDir = defaultMigrationsDir()): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  await run.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
  try {
    // Read the history only once the lock is held: another instance may just have migrated.
    await run.exec(CREATE_MIGRATIONS_TABLE);
    const { rows } = await run.query(
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL",
    );
    const failed = rows.filter((r) => r.finished_at === null).map((r) => String(r.migration_name));
    if (failed.length) {
      throw new Error(
        `Migration(s) recorded as failed in _prisma_migrations: ${failed.join(", ")}. ` +
          "Fix the database by hand, then mark them rolled back (prisma migrate resolve --rolled-back NAME).",
      );
    }
    const applied = new Map(rows.map((r) => [String(r.migration_name), String(r.checksum)]));
    for (const m of migrations) {
      const checksum = applied.get(m.name);
      if (checksum !== undefined && !checksumMatches(m.sql, checksum)) {
        throw new Error(
          `Migration ${m.name} was edited after it was applied (checksum in _prisma_migrations differs from ` +
            `${path.join(migrationsDir, m.name, "migration.sql")}). Restore the file; add a new migration instead.`,
        );
      }
    }

    const names: string[] = [];
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      await run.exec("BEGIN");
      try {
        const id = randomUUID();
        await run.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ($1, $2, $3)", [
          id,
          migrationChecksum(m.sql),
          m.name,
        ]);
        await run.exec(m.sql);
        // clock_timestamp, not now(): now() is frozen at the start of the transaction.
        await run.query(
          "UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1",
          [id],
        );
        await run.exec("COMMIT");
      } catch (error) {
        // Nothing of the migration stays (its row included), so unlike stock Prisma
        // there is no failed row to resolve: fix the file and start again.
        await run.exec("ROLLBACK").catch(() => {});
        throw new Error(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`, {
          cause: error,
        });
      }
      names.push(m.name);
    }
    return names;
  } finally {
    await run.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
  }
}

function defaultMigrationsDir(): string {
  // Read at run time from the checkout; not something for the bundler to trace.
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}
