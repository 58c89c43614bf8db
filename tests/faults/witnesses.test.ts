import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";

/**
 * `npm run test:witness`: three witness processes (tools/witness) on loopback
 * witness a log on PostgreSQL, whose integrator runs as its own process (the
 * CLI's `log witness run`: the integration and the witnessing round the portal
 * runs in the background).
 * - all three cosign;
 * - a forked log (a copy of the database with one published entry rewritten,
 *   re-integrated and signed with the log's own key by a second integrator) is
 *   refused by every witness, which keeps the request as evidence, and the real
 *   log goes on being cosigned;
 * - with one witness stopped the 2-of-3 quorum is still reached;
 * - with two stopped the newest checkpoint is published but not witnessed.
 */
const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "gh-witnesses-"));
const names = { a: throwawayName("gh_wit_a"), b: throwawayName("gh_wit_b") };
const urls: Record<string, string> = {};
type Witness = { child: ChildProcess; url: string; vkey: string; dir: string };
const witnesses: Witness[] = [];

function cli(db: "a" | "b", ...args: string[]): string {
  const r = spawnSync(process.execPath, [tsx, "--conditions=react-server", "cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 110_000,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      DATABASE_URL: urls[db],
      // Both databases claim to be the same log: one origin, one key (the copy holds it, sealed under the same master key).
      PUBLIC_URL: "https://guildhall.witness.test",
      AUTH_SECRET: "witness-test-auth-secret-0123456789abcdef",
      MASTER_KEY: Buffer.alloc(32, 9).toString("base64"),
      DATA_DIR: path.join(work, `data-${db}`),
      LOG_WITNESS_QUORUM: "2",
      // A witness answers in milliseconds, but on a loaded machine its process may wait seconds for the CPU: the
      // product's 5 s would count a slow but honest witness as failed (seen: 0 cosignatures). A stopped witness
      // still fails at once (connection refused), so the checks below are as strict as before.
      LOG_WITNESS_TIMEOUT_MS: "60000",
      LOG_LEVEL: "warn",
      SEED_DEMO: "0",
    },
  });
  if (r.status !== 0) throw new Error(`cli ${args.join(" ")} on ${db}: ${r.status}\n${r.stderr}`);
  return r.stdout;
}
const json = <T>(text: string): T => JSON.parse(text.slice(text.indexOf("{")));
let users = 0;
const act = (db: "a" | "b") => cli(db, "users", "create", "--email", `someone-${users++}@example.test`);
type Round = {
  size: number;
  round: { size: number; cosigned: number; required: number; errors: Record<string, string> };
};
const round = (db: "a" | "b") => json<Round>(cli(db, "log", "witness", "run", "--json")).round;
type Listing = { published: { size: number; witnessed: boolean; cosigners: string[] } };
const listing = (db: "a" | "b") => json<Listing>(cli(db, "log", "witness", "list", "--json"));

async function startWitness(i: number, logKey: string): Promise<Witness> {
  const dir = path.join(work, `witness-${i}`);
  const bin = path.join(root, "tools/witness/bin.mjs");
  const init = spawnSync(
    process.execPath,
    [bin, "init", "--dir", dir, "--name", `witness-${i}.test/w`, "--log", logKey],
    {
      encoding: "utf8",
    },
  );
  expect(init.status, init.stderr).toBe(0);
  const child = spawn(process.execPath, [bin, "serve", "--dir", dir, "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk) => resolve(String(chunk)));
    child.once("exit", (code) => reject(new Error(`witness ${i} exited (${code})`)));
  });
  const { listening, vkey } = JSON.parse(line) as { listening: string; vkey: string };
  return { child, url: listening, vkey, dir };
}
const stop = (w: Witness) =>
  new Promise<void>((resolve) => {
    w.child.once("exit", () => resolve());
    w.child.kill("SIGTERM");
  });

beforeAll(async () => {
  urls.a = await createDatabase(names.a);
  cli("a", "db", "migrate");
  // The first round makes the log's key and signs the first checkpoint.
  cli("a", "log", "witness", "run");
  const logKey = cli("a", "log", "key").trim();
  for (let i = 0; i < 3; i++) witnesses.push(await startWitness(i, logKey));
  cli(
    "a",
    "log",
    "witness",
    "demo",
    "--vkeys",
    witnesses.map((w) => w.vkey).join(","),
    "--urls",
    witnesses.map((w) => w.url).join(","),
  );
}, 600_000);

afterAll(async () => {
  for (const w of witnesses) if (w.child.exitCode === null) await stop(w);
  await dropDatabase(names.a);
  await dropDatabase(names.b);
  fs.rmSync(work, { recursive: true, force: true });
});

it("three witnesses cosign; a forked copy is refused by all; one stopped keeps 2 of 3; two stopped is not witnessed", async () => {
  act("a");
  const first = round("a");
  expect(first).toMatchObject({ cosigned: 3, required: 2 });
  expect(listing("a").published).toMatchObject({ size: first.size, witnessed: true });

  // The fork: a copy of the database in which an entry the witnesses have seen is rewritten (by someone with every
  // right on the database, and the log's key), the log rebuilt from it, and signed by a second integrator.
  urls.b = await createDatabase(names.b, names.a);
  const copy = new pg.Client({ connectionString: urls.b });
  await copy.connect();
  await copy.query("SET session_replication_role = replica"); // the append-only triggers do not fire
  await copy.query(
    `UPDATE "AuditEvent" SET "data" = '{"rewritten":true}'::jsonb WHERE "id" = (SELECT "eventId" FROM "AuditPlacement" WHERE "seq" = 2)`,
  );
  await copy.query(`DELETE FROM "LogEntry"`);
  await copy.query(`DELETE FROM "LogOpening"`);
  await copy.query(`DELETE FROM "LogTile"`);
  await copy.query(`DELETE FROM "LogCosignature"`);
  await copy.query(`DELETE FROM "LogWitnessRound"`);
  await copy.query(`DELETE FROM "LogCheckpoint"`);
  await copy.end();
  act("b");
  const forked = round("b");
  expect(forked.cosigned).toBe(0);
  expect(Object.values(forked.errors)).toHaveLength(3);
  for (const error of Object.values(forked.errors)) expect(error).toMatch(/^HTTP 422/);
  expect(listing("b").published.witnessed).toBe(false);
  for (const w of witnesses) {
    expect(fs.readFileSync(path.join(w.dir, "evidence.jsonl"), "utf8")).toContain('"reason":"inconsistent"');
    // What each witness holds is still the real log's checkpoint.
    const held = JSON.parse(fs.readFileSync(path.join(w.dir, "state.json"), "utf8")).logs["guildhall.witness.test/log"];
    expect(held.size).toBe(first.size);
  }

  // The real log goes on being cosigned by all three.
  act("a");
  expect(round("a")).toMatchObject({ cosigned: 3 });

  await stop(witnesses[2]);
  act("a");
  const oneDown = round("a");
  expect(oneDown).toMatchObject({ cosigned: 2, required: 2 });
  expect(Object.keys(oneDown.errors)).toEqual(["witness-2.test/w"]);
  expect(listing("a").published).toMatchObject({ size: oneDown.size, witnessed: true });

  await stop(witnesses[1]);
  act("a");
  const twoDown = round("a");
  expect(twoDown).toMatchObject({ cosigned: 1, required: 2 });
  const published = listing("a").published;
  expect(published).toMatchObject({ size: twoDown.size, witnessed: false, cosigners: ["witness-0.test/w"] });
});
