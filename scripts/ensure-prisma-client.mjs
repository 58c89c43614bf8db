#!/usr/bin/env node
// Generates the Prisma client (lib/generated/prisma, not in git) when it is
// missing or older than prisma/schema.prisma. `npm start` and `npm run cli`
// run this first, so both work on a fresh clone right after `npm ci`. Its
// output goes to stderr: the CLI's stdout may be JSON for another program.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const client = path.join(root, "lib/generated/prisma/client.ts");
const schema = path.join(root, "prisma/schema.prisma");

export function ensurePrismaClient() {
  if (fs.existsSync(client) && fs.statSync(schema).mtimeMs <= fs.statSync(client).mtimeMs) return;
  // The Prisma CLI wants a schema engine path even for `generate`, which does not use it.
  const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePrismaClient();
