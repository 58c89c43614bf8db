#!/usr/bin/env node
// Serves the built portal for the end-to-end tests on a fresh Postgres
// database, named by playwright.config.ts, which is dropped when it stops.
import { spawn } from "node:child_process";
import pg from "pg";

// The admin URL, database URL and create/drop below are a small copy of
// tests/support/postgres-admin.ts, which the benches and the test setup share:
// Playwright starts this file with plain `node` (no tsx), so it cannot import
// that TypeScript module. Keep the two in step.
const admin = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = process.env.E2E_DATABASE;
const port = process.env.E2E_PORT;
if (!name || !/^[a-z0-9_]+$/.test(name) || !port || !process.env.E2E_MASTER_KEY)
  throw new Error("E2E_DATABASE, E2E_PORT and E2E_MASTER_KEY must be set by playwright.config.ts");

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

// Idle connections are kept for 65 s, as in production (Dockerfile, scripts/start.mjs): with Node's
// default 5 s, a test's request that reused a pooled connection just as the server closed it failed
// with "socket hang up" on a loaded machine, where the client's own idle timer fires late.
const server = spawn(
  "node",
  ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1", "--keepAliveTimeout", "65000"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url.toString(),
      PUBLIC_URL: `http://localhost:${port}`,
      AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
      MASTER_KEY: process.env.E2E_MASTER_KEY,
      SEED_DEMO: "1",
      PAYMENTS_PROVIDER: "simulated",
      // Every e2e request comes from 127.0.0.1 and the demo accounts sign in many times per run.
      RATE_LIMIT_FACTOR: "20",
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
    },
  },
);

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
