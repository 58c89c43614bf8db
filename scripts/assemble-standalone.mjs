#!/usr/bin/env node
// Completes Next's standalone output (.next/standalone, made by `next build`
// with output: "standalone") into the folder the container image runs:
// - the static assets and public/ files, which Next leaves out of it;
// - cli.mjs, the operator CLI bundled into one file (its heavy dependencies,
//   the database drivers and pino, are the ones the server already ships),
//   so `node cli.mjs db migrate` (the Kubernetes migration job) and
//   `node cli.mjs audit verify` run from the image.
// The committed migrations are traced into it by the build (prisma/migrations).
// CI starts the server from this folder with the Dockerfile's CMD (tests/deploy).
import fs from "node:fs";
import path from "node:path";
import { bundleCli } from "./bundle-cli.mjs";

const root = path.resolve(import.meta.dirname, "..");
const standalone = path.join(root, ".next/standalone");
if (!fs.existsSync(path.join(standalone, "server.js"))) {
  console.error('No .next/standalone/server.js: run `next build` first (next.config.ts sets output: "standalone").');
  process.exit(1);
}
fs.cpSync(path.join(root, ".next/static"), path.join(standalone, ".next/static"), { recursive: true });
if (fs.existsSync(path.join(root, "public")))
  fs.cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });
const migrations = path.join(standalone, "prisma/migrations");
const expected = fs
  .readdirSync(path.join(root, "prisma/migrations"))
  .filter((n) => !n.endsWith(".toml"))
  .sort();
const present = fs.existsSync(migrations) ? fs.readdirSync(migrations).sort() : [];
if (expected.join() !== present.join()) {
  fs.rmSync(migrations, { recursive: true, force: true });
  fs.cpSync(path.join(root, "prisma/migrations"), migrations, { recursive: true });
}
await bundleCli(path.join(standalone, "cli.mjs"));
console.log(`standalone server assembled in ${path.relative(root, standalone)} (node server.js; node cli.mjs --help)`);
