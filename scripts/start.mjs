#!/usr/bin/env node
// `npm start`: generate the Prisma client and build the portal when the
// sources changed since the last build, then serve it. The server itself
// migrates and seeds at start (instrumentation.ts), on DATABASE_URL or on the
// embedded database in .data/.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensurePrismaClient } from "./ensure-prisma-client.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

ensurePrismaClient();

const buildId = ".next/BUILD_ID";
const sources = Math.max(...["app", "lib", "emails", "prisma"].map((d) => newestMtime(d)), fs.statSync("next.config.ts").mtimeMs);
if (!fs.existsSync(buildId) || fs.statSync(buildId).mtimeMs < sources) {
  run("node", ["node_modules/next/dist/bin/next", "build"]);
}

const server = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", process.env.HOST ?? "0.0.0.0"], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
