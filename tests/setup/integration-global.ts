import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations, pgRunner, pgliteRunner } from "../../lib/db/apply-migrations";
import { createDatabase, dropDatabase, throwawayName, withAdmin } from "../support/postgres-admin";

/**
 * Migrates one template database per run; each test file then gets its own
 * copy, so files run in parallel without seeing each other's rows and nobody
 * replays the migrations per file. On Postgres the copy is CREATE DATABASE …
 * TEMPLATE; on PGlite it is a copy of the migrated data folder.
 */
export default async function setup(project: TestProject) {
  if ((process.env.TEST_DB ?? "pglite") !== "postgres") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-pglite-tmpl-"));
    const db = new PGlite(path.join(dir, "pglite"));
    await applyMigrations(pgliteRunner(db));
    await db.close();
    project.provide("templateDatabase", dir);
    return async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const template = throwawayName("gh_tmpl");
  const url = await createDatabase(template);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations(pgRunner(client));
  } finally {
    await client.end();
  }
  project.provide("templateDatabase", template);
  const filesPrefix = throwawayName("gh_it");
  project.provide("fileDatabasePrefix", filesPrefix);
  return async () => {
    await dropDatabasesStartingWith(`${filesPrefix}_`);
    await dropDatabase(template);
  };
}

/**
 * Drops the test files' databases once the run is over, a few at a time. Each DROP DATABASE makes the
 * server checkpoint (flushing every dirty page to disk) and waits for it: dropped by each file as it
 * ended, that held its worker half a second to a second per file on CI's machine; drops waiting
 * together share their checkpoints.
 */
async function dropDatabasesStartingWith(prefix: string): Promise<void> {
  const names = await withAdmin(async (c) =>
    (
      await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix])
    ).rows.map((r) => r.datname),
  );
  const atOnce = 8;
  for (let i = 0; i < names.length; i += atOnce) await Promise.all(names.slice(i, i + atOnce).map(dropDatabase));
}

declare module "vitest" {
  export interface ProvidedContext {
    /** A Postgres database name, or the folder holding a migrated PGlite data directory. */
    templateDatabase: string;
    /** On Postgres, the start of every test file's database name: the run's end drops them (integration-global.ts). */
    fileDatabasePrefix: string;
  }
}
