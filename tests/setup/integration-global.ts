import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations, pgRunner, pgliteRunner } from "../../lib/db/apply-migrations";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";

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
  return async () => {
    await dropDatabase(template);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** A Postgres database name, or the folder holding a migrated PGlite data directory. */
    templateDatabase: string;
  }
}
