import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations, pgRunner } from "../../lib/db/apply-migrations";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";

/**
 * With TEST_DB=postgres, migrates one template database per run; each test
 * file then gets its own copy (CREATE DATABASE … TEMPLATE is fast), so files
 * run in parallel without seeing each other's rows.
 */
export default async function setup(project: TestProject) {
  if ((process.env.TEST_DB ?? "pglite") !== "postgres") return;
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
    templateDatabase: string;
  }
}
