// Makes the e2e database a fork (docs/EXPORTS.md, "The whole org, forked"), for the browser test of origin marks
// (`npm run test:e2e-fork`, playwright.fork.config.ts): an origin database is migrated and seeded with the demo
// organization, gets an OpenID client of its own, and is exported with `org export`; the e2e database, migrated,
// imports that archive with `org import` and then makes a client of its own, which no page may mark. All through
// the operator CLI the container image ships (.next/standalone/cli.mjs), each step its own process, as an operator
// forks. Plain JavaScript: scripts/e2e-server.mjs, which runs it, is started by Playwright with plain `node`.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** The origin's public URL: only named in the archive and on the fork's pages, never served. */
export const E2E_FORK_ORIGIN_URL = "http://origin.localhost:3999";

/**
 * Prepares the fork in `forkUrl` (an empty database) from a new origin database `originName`, made with
 * `adminQuery` and `originUrl`; `env` is the portal's environment (PUBLIC_URL, MASTER_KEY, …) for the fork.
 */
export async function prepareForkFromOrigin({ cli, adminQuery, originName, originUrl, forkUrl, env }) {
  await adminQuery(`CREATE DATABASE "${originName}"`);
  await adminQuery(`ALTER DATABASE "${originName}" SET synchronous_commit = off`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-fork-"));
  const archive = path.join(work, "archive");
  const originEnv = {
    ...env,
    DATABASE_URL: originUrl,
    PUBLIC_URL: E2E_FORK_ORIGIN_URL,
    MASTER_KEY: crypto.randomBytes(32).toString("base64"),
    DATA_DIR: path.join(work, "origin-data"),
  };
  const forkEnv = { ...env, DATABASE_URL: forkUrl, DATA_DIR: path.join(work, "fork-data") };
  const step = async (stepEnv, args) => {
    try {
      await run(process.execPath, [cli, ...args], { cwd: path.dirname(cli), env: stepEnv, maxBuffer: 1 << 24 });
    } catch (e) {
      throw new Error(`cli ${args.join(" ")} failed: ${e.stderr || e.message}`);
    }
  };
  const client = (name) => [
    "clients",
    "create",
    "--name",
    name,
    "--host",
    "north-host",
    "--redirect-uri",
    "https://box.example/cb",
    "--grant",
    "authorization_code",
    "--scope",
    "openid",
  ];
  try {
    await step(originEnv, ["db", "migrate"]);
    await step(originEnv, ["db", "seed"]);
    await step(originEnv, client("Box office of the origin"));
    await step(originEnv, ["org", "export", archive]);
    // The origin's export keys, as an operator keeps them from its /.well-known/guildhall/export-keys.
    const db = new pg.Client({ connectionString: originUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT "publicJwk" FROM "SigningKey" WHERE purpose = 'export'`);
      fs.writeFileSync(path.join(work, "keys.json"), JSON.stringify({ keys: rows.map((r) => r.publicJwk) }));
    } finally {
      await db.end();
    }
    await step(forkEnv, ["db", "migrate"]);
    await step(forkEnv, ["org", "import", archive, "--origin-keys", path.join(work, "keys.json")]);
    await step(forkEnv, client("Box office of the fork"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
