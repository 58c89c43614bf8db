#!/usr/bin/env node
// Serves the built portal for the end-to-end tests on a fresh Postgres
// database, named by playwright.config.ts, which is dropped when it stops.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { prepareForkFromOrigin } from "./e2e-fork-origin.mjs";

const root = path.resolve(import.meta.dirname, "..");

// The admin URL, database URL and create/drop below are a small copy of
// tests/support/postgres-admin.ts, which the benches and the test setup share:
// Playwright starts this file with plain `node` (no tsx), so it cannot import
// that TypeScript module. Keep the two in step.
const admin = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = process.env.E2E_DATABASE;
const port = process.env.E2E_PORT;
const applePki = process.env.E2E_APPLE_PKI_DIR;
if (!name || !/^[a-z0-9_]+$/.test(name) || !port || !process.env.E2E_MASTER_KEY || !applePki)
  throw new Error("E2E_DATABASE, E2E_PORT, E2E_MASTER_KEY and E2E_APPLE_PKI_DIR must be set by playwright.config.ts");

async function adminQuery(sql) {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

await adminQuery(`CREATE DATABASE "${name}"`);
// A throwaway database whose commits do not wait for the disk, as the integration tests' are
// (createTestDatabase in tests/support/postgres-admin.ts says why): the portal sees no difference.
await adminQuery(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
const url = new URL(admin);
url.pathname = `/${name}`;

// The standalone server the container image runs (next.config.ts builds output: "standalone", which
// `next start` serves only with a warning), completed by scripts/assemble-standalone.mjs, as `npm start` does:
// the assembly runs here only when the build is newer than it (CI assembles once, after its build).
const standalone = path.join(root, ".next/standalone");
const assembled = path.join(standalone, "cli.mjs");
const buildId = path.join(root, ".next/BUILD_ID");
if (!fs.existsSync(buildId)) {
  console.error("No build to serve: run `npm run build` (or the build line of scripts/test-all.sh) first.");
  process.exit(1);
}
if (!fs.existsSync(assembled) || fs.statSync(assembled).mtimeMs < fs.statSync(buildId).mtimeMs) {
  const r = spawnSync(process.execPath, ["scripts/assemble-standalone.mjs"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The fork's browser test (playwright.fork.config.ts): the database becomes a fork of an origin made and exported
// here, dropped once imported (scripts/e2e-fork-origin.mjs); the portal then serves the fork, with nothing seeded.
const fork = process.env.E2E_FORK === "1";
const serverEnv = {
  DATABASE_URL: url.toString(),
  PUBLIC_URL: `http://localhost:${port}`,
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
  MASTER_KEY: process.env.E2E_MASTER_KEY,
  SEED_DEMO: fork ? "0" : "1",
  PAYMENTS_PROVIDER: "simulated",
};
if (fork) {
  const originUrl = new URL(url);
  originUrl.pathname = `/${name}_origin`;
  try {
    await prepareForkFromOrigin({
      cli: assembled,
      adminQuery,
      originName: `${name}_origin`,
      originUrl: originUrl.toString(),
      forkUrl: url.toString(),
      env: { ...process.env, ...serverEnv, LOG_LEVEL: "warn" },
    });
  } catch (e) {
    console.error(e.message);
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    process.exit(1);
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}_origin" WITH (FORCE)`).catch(() => {});
  }
}

const server = spawn(process.execPath, [path.join(standalone, "server.js")], {
  cwd: standalone,
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: port,
    HOSTNAME: "127.0.0.1",
    // Idle connections are kept for 65 s, as in production (Dockerfile, scripts/start.mjs): with Node's
    // default 5 s, a test's request that reused a pooled connection just as the server closed it failed
    // with "socket hang up" on a loaded machine, where the client's own idle timer fires late.
    KEEP_ALIVE_TIMEOUT: "65000",
    ...serverEnv,
    // Every e2e request comes from 127.0.0.1 and the demo accounts sign in many times per run.
    RATE_LIMIT_FACTOR: "20",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    // The App Store (docs/APPSTORE.md), verified as in production by Apple's library, against the root the
    // tests made (playwright.config.ts): sandbox notifications, judged at their signing date (offline; there is
    // no OCSP responder for a test root), 15% commission. No Server API key, so no hourly sweep calls out.
    APPLE_BUNDLE_ID: process.env.E2E_APPLE_BUNDLE_ID,
    APPLE_ENVIRONMENT: "Sandbox",
    APPLE_ROOT_CERTIFICATES: path.join(applePki, "AppleRootCA-test.cer"),
    APPLE_ONLINE_CHECKS: "0",
    APPLE_COMMISSION_BPS: "1500",
  },
});

// Playwright stops this script with SIGTERM to its whole process group (playwright.config.ts `gracefulShutdown`),
// so the portal may get the signal, and even exit, before this script acts on it: its exit is awaited from here on.
const exited = new Promise((r) => server.once("exit", r));
let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  server.kill(signal);
  await exited;
  // Only now, with the portal's pool closed: dropping it under a running portal logs lost connections.
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  process.exit(0);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
server.on("exit", (code) => {
  // A portal that stopped on the group's signal before this script's handler ran is a stop, not a crash.
  if (!stopping) setImmediate(() => stopping || process.exit(code ?? 1));
});
