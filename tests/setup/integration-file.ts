import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { createTestDatabase } from "../support/postgres-admin";

/**
 * Gives each integration test file a database of its own, on the engine named
 * by TEST_DB: a copy of the migrated template on the Postgres server (whose commits
 * do not wait for the disk: createTestDatabase says why), or a
 * copy of the migrated PGlite data folder in a temporary folder. The environment is set
 * before the test imports lib/, which reads it once.
 */
const engineName = process.env.TEST_DB ?? "pglite";
let tempDir: string | undefined;

(process.env as Record<string, string>).NODE_ENV = "test";
process.env.SEED_DEMO = "0";
process.env.PUBLIC_URL ??= "http://localhost:3999";
process.env.AUTH_SECRET ??= "integration-test-auth-secret-0123456789abcdef";
process.env.MASTER_KEY ??= Buffer.alloc(32, 7).toString("base64");

tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-it-"));
process.env.DATA_DIR = tempDir;

if (engineName === "postgres") {
  // Dropped with the others at the end of the run (tests/setup/integration-global.ts says why), not here.
  process.env.DATABASE_URL = await createTestDatabase(
    `${inject("fileDatabasePrefix")}_${crypto.randomBytes(4).toString("hex")}`,
    inject("templateDatabase"),
  );
} else {
  delete process.env.DATABASE_URL;
  fs.cpSync(path.join(inject("templateDatabase"), "pglite"), path.join(tempDir, "pglite"), { recursive: true });
}

let stopFeed: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // As startPortal and the CLI do: the portal's effects, fulfillers, session-end hooks and claim sources.
  const { installComposition } = await import("@/lib/composition/composition");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  installComposition(portalComposition);
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
  if (engineName === "postgres") {
    // As the portal runs on Postgres: with the invalidation feed live, so the
    // cached OIDC reads are what these tests exercise there (on PGlite, the uncached ones).
    const { startInvalidationFeed, invalidationFeed } = await import("@/lib/db/invalidation-feed");
    stopFeed = startInvalidationFeed();
    for (let i = 0; i < 600 && !invalidationFeed.live; i++) await new Promise((r) => setTimeout(r, 25));
    if (!invalidationFeed.live) throw new Error("the invalidation feed did not go live");
  }
});

afterAll(async () => {
  await stopFeed?.();
  const { closeDb } = await import("@/lib/db/close-db");
  await closeDb();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});
