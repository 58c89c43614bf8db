#!/usr/bin/env node
// `npm start`: generate the Prisma client and build the portal when the
// sources changed since the last build, then serve it. The server itself
// migrates and seeds at start (instrumentation.ts), on DATABASE_URL or on the
// embedded database in .data/.
import { spawn } from "node:child_process";
import path from "node:path";
import { ensurePrismaClient } from "./ensure-prisma-client.mjs";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";

ensurePrismaClient();
ensurePortalBuild();

const server = spawn(
  "node",
  ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", process.env.HOST ?? "0.0.0.0"],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
