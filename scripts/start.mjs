#!/usr/bin/env node
// `npm start`: generate the Prisma client and build the portal when the
// sources changed since the last build, then serve it with the standalone
// server, the same `node server.js` the container image runs (next.config.ts
// builds standalone output, which `next start` does not serve). The server
// itself migrates and seeds at start (instrumentation.ts), on DATABASE_URL or
// on the embedded database in .data/.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensurePrismaClient } from "./ensure-prisma-client.mjs";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

ensurePrismaClient();
ensurePortalBuild();

// The standalone folder is completed (static assets, cli.mjs) once per build.
const standalone = path.join(root, ".next/standalone");
const assembled = path.join(standalone, "cli.mjs");
if (
  !fs.existsSync(assembled) ||
  fs.statSync(assembled).mtimeMs < fs.statSync(path.join(root, ".next/BUILD_ID")).mtimeMs
) {
  const r = spawnSync(process.execPath, ["scripts/assemble-standalone.mjs"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const server = spawn(process.execPath, [path.join(standalone, "server.js")], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: process.env.PORT ?? "3000",
    HOSTNAME: process.env.HOST ?? "0.0.0.0",
    // server.js runs from its own folder, which the next build replaces: the embedded database and
    // its generated secrets stay in the repository's .data/ (or wherever DATA_DIR says).
    DATA_DIR: path.resolve(root, process.env.DATA_DIR ?? ".data"),
    // Idle connections outlive a reverse proxy's or client's pool (HAProxy's, a load balancer's 60 s),
    // so a reused connection is never closed under a request; Node's own default is 5 s.
    KEEP_ALIVE_TIMEOUT: process.env.KEEP_ALIVE_TIMEOUT ?? "65000",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
