import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, migrationChecksum, pgliteRunner, readMigrations } from "@/lib/db/apply-migrations";
import { diffMigrationsToSchema, emptyPGlite, schemaPath } from "@/scripts/migration-engine";

const committed = readMigrations();

/**
 * A copy of the committed migrations in a temporary folder, to tamper with: all of them, or the first
 * `count` where what is under test is the runner's bookkeeping, which is the same for one migration
 * as for all (replaying every migration in WebAssembly PGlite takes seconds of CPU each time).
 */
function copyOfMigrations(count = committed.length): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-mig-"));
  for (const m of committed.slice(0, count))
    fs.cpSync(path.join(process.cwd(), "prisma/migrations", m.name), path.join(dir, m.name), { recursive: true });
  return dir;
}

// One in-memory PGlite for the file, emptied before each test (emptyPGlite says why that leaves a fresh
// database): a new one per test ran initdb, or loaded a copy of a fresh cluster, nine times.
// Its initdb is about 4 s of CPU, and a test here at most 2 (the schema engine's first diff): at a load of 30
// on CI's 2 cores a process gets a fifteenth of a core, which made the hook's 60 s bound the one to time out.
let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.waitReady;
}, 120_000);
afterAll(async () => {
  await db.close();
});

describe("applyMigrations on PGlite", { timeout: 60_000 }, () => {
  beforeEach(async () => {
    await emptyPGlite(db);
  });

  it("applies every migration once, recorded as stock Prisma records it", async () => {
    const run = pgliteRunner(db);
    expect(committed.length).toBeGreaterThan(0);
    expect(await applyMigrations(run)).toEqual(committed.map((m) => m.name));
    expect(await applyMigrations(run)).toEqual([]);

    const { rows } = await db.query<Record<string, unknown>>(
      "SELECT * FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(committed.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      expect(r.checksum).toBe(migrationChecksum(committed[i].sql));
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.rolled_back_at).toBeNull();
      expect(r.logs).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("makes AuditEvent append-only, and its places (AuditPlacement) insert-only", async () => {
    await applyMigrations(pgliteRunner(db));
    // Only the trigger matters here, so insert through whatever NOT NULL columns exist.
    const { rows: cols } = await db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'AuditEvent' AND is_nullable = 'NO' AND column_default IS NULL`,
    );
    const values = cols.map((c) =>
      /int|numeric/.test(c.data_type) ? "1" : /timestamp/.test(c.data_type) ? "now()" : "'x'",
    );
    await db.exec(
      `INSERT INTO "AuditEvent" (${cols.map((c) => `"${c.column_name}"`).join(", ")}) VALUES (${values.join(", ")})`,
    );
    await expect(db.exec(`UPDATE "AuditEvent" SET "action" = 'y'`)).rejects.toThrow(/append-only/);
    await expect(db.exec(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    // Truncated with its places, as a truncate of the events alone is refused for their foreign key anyway.
    await expect(db.exec(`TRUNCATE "AuditEvent", "AuditPlacement"`)).rejects.toThrow(/append-only/);
    await db.exec(
      `INSERT INTO "AuditPlacement" ("seq", "eventId", "prevHash", "hash", "horizon") SELECT 1, "id", 'p', 'h', 0 FROM "AuditEvent"`,
    );
    await expect(db.exec(`UPDATE "AuditPlacement" SET "hash" = 'y'`)).rejects.toThrow(/insert-only/);
    await expect(db.exec(`DELETE FROM "AuditPlacement"`)).rejects.toThrow(/insert-only/);
    await expect(db.exec(`TRUNCATE "AuditPlacement"`)).rejects.toThrow(/insert-only/);
  });

  it("refuses a migration edited after it was applied", async () => {
    const dir = copyOfMigrations(2);
    await applyMigrations(pgliteRunner(db), dir);
    const first = path.join(dir, committed[0].name, "migration.sql");
    fs.appendFileSync(first, "\n-- edited\n");
    await expect(applyMigrations(pgliteRunner(db), dir)).rejects.toThrow(/edited after it was applied/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to run while a migration is recorded as failed", async () => {
    const dir = copyOfMigrations(1);
    await applyMigrations(pgliteRunner(db), dir);
    await db.query("UPDATE _prisma_migrations SET finished_at = NULL, logs = 'boom'");
    await expect(applyMigrations(pgliteRunner(db), dir)).rejects.toThrow(/recorded as failed/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("rolls back a failing migration entirely", async () => {
    const dir = copyOfMigrations(1);
    fs.mkdirSync(path.join(dir, "99999999999999_broken"));
    fs.writeFileSync(
      path.join(dir, "99999999999999_broken", "migration.sql"),
      "CREATE TABLE t (x int);\nSELECT 1/0;\n",
    );
    await expect(applyMigrations(pgliteRunner(db), dir)).rejects.toThrow(/99999999999999_broken failed/);
    const { rows } = await db.query("SELECT migration_name FROM _prisma_migrations");
    expect(rows).toEqual([{ migration_name: committed[0].name }]);
    expect((await db.query("SELECT to_regclass('t') AS t")).rows[0]).toEqual({ t: null });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("diffMigrationsToSchema", { timeout: 60_000 }, () => {
  const schema = fs.readFileSync(schemaPath, "utf8");

  it("is empty for the committed migrations and schema", async () => {
    expect(await diffMigrationsToSchema(undefined, undefined, db)).toBe("");
  });

  // "" must mean agreement, not a silent failure: a changed schema must show up.
  it("shows a column the migrations lack", async () => {
    const changed = schema.replace(/^model User \{\n/m, "model User {\n  nickname String?\n");
    expect(changed).not.toBe(schema);
    expect(await diffMigrationsToSchema(changed, undefined, db)).toMatch(
      /ALTER TABLE "User" ADD COLUMN\s+"nickname" TEXT/,
    );
  });

  it("shows a table the schema lacks", async () => {
    const dir = copyOfMigrations();
    fs.mkdirSync(path.join(dir, "99999999999999_extra"));
    fs.writeFileSync(path.join(dir, "99999999999999_extra", "migration.sql"), 'CREATE TABLE "Stray" (id int);\n');
    expect(await diffMigrationsToSchema(schema, dir, db)).toMatch(/DROP TABLE "Stray"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails loudly on a broken migration", async () => {
    // Broken before any other is replayed: the failure, not the replay, is under test.
    const dir = copyOfMigrations(0);
    fs.mkdirSync(path.join(dir, "00000000000000_broken"));
    fs.writeFileSync(path.join(dir, "00000000000000_broken", "migration.sql"), "CREATE TABLEX oops (x int);\n");
    await expect(diffMigrationsToSchema(schema, dir, db)).rejects.toThrow(/syntax error/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
