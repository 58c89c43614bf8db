#!/usr/bin/env node
// Builds the portal (.next) when it is missing or older than its sources.
// `npm start` and `npm run bench:oidc` run this first, so neither serves or
// measures a stale build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function ensurePortalBuild() {
  const buildId = path.join(root, ".next/BUILD_ID");
  const sources = Math.max(
    ...["app", "lib", "emails", "prisma"].map((d) => newestMtime(path.join(root, d))),
    ...["next.config.ts", "instrumentation.ts", "instrumentation-node.ts", "proxy.ts"].map(
      (f) => fs.statSync(path.join(root, f)).mtimeMs,
    ),
  );
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePortalBuild();
