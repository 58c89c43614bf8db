/**
 * `npm run bench:export [-- --users 100000 --postings 1000000 --receipts 200000 --proposals 1000 --keep]`
 * (`--keep` keeps the databases and files; `--origin DB` measures again on an origin database kept before,
 * with the MASTER_KEY it was made with, skipping the seeding)
 *
 * The whole org's export and fork import (docs/EXPORTS.md, issue 15), on throwaway databases on the Postgres
 * server at 127.0.0.1:5432. Not part of `npm test`. Prints one line per step and, last, one JSON object; it
 * asserts nothing: the targets are printed beside the figures.
 *
 * 1. An origin with USERS users (each with its `user.created` audit event, integrated into the transparency
 *    log: entries, tiles, openings), a thousand theaters, POSTINGS ledger postings (two per journal entry),
 *    RECEIPTS paid orders with receipts, and PROPOSALS closed proposals with three signed ballots each
 *    (real passkey signatures, which the import verifies). Made in bulk with generate_series, and JSON
 *    batches for what must be computed (the audit chain, the ballots), never row by row through the ORM.
 * 2. `org export DIR` as the operator runs it (the bundled CLI, its own process): wall time and peak RSS.
 *    Target: < 60 s, < 512 MB.
 * 3. `org import DIR` into a new, migrated database (full verification, then the one transaction, then the
 *    fork's log integration): wall time and peak RSS. Target: < 180 s, < 512 MB.
 * Peak RSS is the CLI process's (GNU time's maximum resident set size), not the database server's; the CLI runs
 * with `--max-old-space-size=HEAP_MB` (256 unless `--heap-mb` says otherwise), as docs/EXPORTS.md advises.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDatabase, databaseUrl, dropDatabase } from "../tests/support/postgres-admin";
import { SoftAuthenticator } from "../tests/support/soft-authenticator";
// @ts-expect-error: a plain ES module without type declarations, shared with scripts/assemble-standalone.mjs.
import { bundleCli } from "./bundle-cli.mjs";

const run = promisify(execFile);
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith("--") ? process.argv[i + 1] : fallback;
}
const USERS = Number(arg("users", "100000"));
const POSTINGS = Number(arg("postings", "1000000"));
const RECEIPTS = Number(arg("receipts", "200000"));
const PROPOSALS = Number(arg("proposals", "1000"));
const THEATERS = 1000;
const HEAP_MB = Number(arg("heap-mb", "256"));
const keep = process.argv.includes("--keep");
const stamp = Date.now().toString(36);
const reusedOrigin = arg("origin", "");
const originName = reusedOrigin || `bench_export_origin_${stamp}`;
const forkName = `bench_export_fork_${stamp}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const results: Record<string, unknown> = {};
const log = (line: string) => console.log(line);

async function main() {
  const originUrl = reusedOrigin ? databaseUrl(originName) : await createDatabase(originName);
  const forkUrl = await createDatabase(forkName);
  process.env.DATABASE_URL = originUrl;
  process.env.DATA_DIR = path.join(work, "data");
  process.env.LOG_LEVEL = "warn";
  process.env.SEED_DEMO = "0";
  process.env.PUBLIC_URL = "http://origin.localhost:3000";
  process.env.MASTER_KEY ??= crypto.randomBytes(32).toString("base64");
  results.figures = { users: USERS, postings: POSTINGS, receipts: RECEIPTS, proposals: PROPOSALS, heapMB: HEAP_MB };
  results.loadAverageAtStart = os.loadavg().map((l) => round(l, 2));
  const { installComposition } = await import("@/lib/composition/composition");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  installComposition(portalComposition);
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
  const cli = path.join(path.resolve(import.meta.dirname, ".."), "node_modules/.cache/guildhall-bench-cli.mjs");
  await bundleCli(cli);
  const { closeDb } = await import("@/lib/db/close-db");
  try {
    if (!reusedOrigin) {
      const seeded = Date.now();
      await seedOrigin();
      results.seedSeconds = round((Date.now() - seeded) / 1000);
      log(`seeded the origin in ${results.seedSeconds} s`);
    }

    const archive = path.join(work, "archive");
    const baseEnv = { ...process.env, LOG_LEVEL: "warn", SEED_DEMO: "0" };
    const exported = await timedCli(cli, ["org", "export", archive, "--json"], { ...baseEnv, DATABASE_URL: originUrl });
    const { getPublicJwks } = await import("@/lib/keys/get-public-jwks");
    const keys = path.join(work, "keys.json");
    fs.writeFileSync(keys, JSON.stringify(await getPublicJwks(["export"])));
    const archiveBytes = fs.readdirSync(archive).reduce((n, f) => n + fs.statSync(path.join(archive, f)).size, 0);
    results.export = {
      seconds: exported.seconds,
      cpuSeconds: exported.cpuSeconds,
      peakRssMB: exported.peakRssMB,
      records: JSON.parse(exported.stdout).records,
      archiveMB: round(archiveBytes / 1e6),
      target: "< 60 s, < 512 MB",
    };
    log(
      `export: ${exported.seconds} s (CPU ${exported.cpuSeconds} s), peak RSS ${exported.peakRssMB} MB, ${archiveBytes} bytes`,
    );

    const forkEnv = { ...baseEnv, DATABASE_URL: forkUrl, PUBLIC_URL: "http://fork.localhost:3000" };
    await run(process.execPath, [cli, "db", "migrate"], { env: forkEnv, maxBuffer: 1 << 24 });
    const imported = await timedCli(cli, ["org", "import", archive, "--origin-keys", keys, "--json"], forkEnv);
    results.import = {
      seconds: imported.seconds,
      cpuSeconds: imported.cpuSeconds,
      peakRssMB: imported.peakRssMB,
      result: JSON.parse(imported.stdout),
      target: "< 180 s (full verification and import), < 512 MB",
    };
    log(`import: ${imported.seconds} s (CPU ${imported.cpuSeconds} s), peak RSS ${imported.peakRssMB} MB`);
  } finally {
    await closeDb();
    results.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
    if (keep)
      log(
        `kept: origin database ${originName}, fork ${forkName}, files in ${work}, MASTER_KEY ${process.env.MASTER_KEY}`,
      );
    else {
      if (!reusedOrigin) await dropDatabase(originName);
      await dropDatabase(forkName);
      fs.rmSync(work, { recursive: true, force: true });
    }
    fs.rmSync(cli, { force: true });
  }
  console.log(JSON.stringify(results, null, 2));
}

/**
 * Runs the bundled CLI under GNU time: wall seconds, CPU seconds (user and system: on a machine shared with
 * other work, the figure that compares two runs), peak resident set (MB) and its output.
 */
async function timedCli(cli: string, args: string[], env: NodeJS.ProcessEnv) {
  const rss = path.join(work, `rss-${args[1]}`);
  const started = Date.now();
  // The heap capped as docs/EXPORTS.md tells operators to run them: V8 otherwise grows its heap well past
  // what is live before it collects, and the figure would be the garbage's.
  const node = [process.execPath, `--max-old-space-size=${HEAP_MB}`, cli];
  const { stdout } = await run("/usr/bin/time", ["-f", "%U %S %M", "-o", rss, ...node, ...args], {
    env,
    maxBuffer: 1 << 24,
  });
  const [user, system, peakKB] = (fs.readFileSync(rss, "utf8").trim().split("\n").pop() ?? "").split(" ").map(Number);
  return {
    seconds: round((Date.now() - started) / 1000),
    cpuSeconds: round(user + system),
    peakRssMB: round(peakKB / 1024),
    stdout,
  };
}

async function sql(text: string, ...values: unknown[]) {
  const { db } = await import("@/lib/db/client");
  return db().$executeRawUnsafe(text, ...values);
}

async function seedOrigin() {
  await sql(`INSERT INTO "User" (id, email, name)
    SELECT 'usr_bench' || g, 'member' || g || '@bench.test', 'Member ' || g FROM generate_series(1, ${USERS}) g`);
  await sql(`INSERT INTO "Organization" (id, slug, name, kind)
    SELECT 'org_bench' || g, 'theater-' || g, 'Theater ' || g, 'THEATER' FROM generate_series(1, ${THEATERS}) g`);
  await sql(`INSERT INTO "Membership" ("orgId", "userId", role)
    SELECT 'org_bench' || g, 'usr_bench' || g, 'THEATER_ADMIN' FROM generate_series(1, ${THEATERS}) g`);
  await seedAuditHistory();
  await seedLedger();
  await seedOrders();
  await seedGovernance();
  const { integrateWholeLog } = await import("@/lib/transparency/integrate-whole-log");
  await integrateWholeLog();
  await sql("ANALYZE");
}

/** One `user.created` event per user, chained as appendAuditEvent chains them, inserted in JSON batches. */
async function seedAuditHistory() {
  const { computeAuditEventHash, GENESIS_HASH, stateDigestOf } = await import("@/lib/audit/audit-event-hash");
  let prevHash = GENESIS_HASH;
  const base = Date.now() - USERS * 1000;
  for (let from = 1; from <= USERS; from += 5000) {
    const batch = [];
    for (let seq = from; seq < Math.min(from + 5000, USERS + 1); seq++) {
      const record = {
        seq: String(seq),
        id: `evt_bench${seq}`,
        occurredAt: new Date(base + seq * 1000).toISOString(),
        actorType: "system",
        actorId: "bench",
        action: "user.created",
        subjectType: "user",
        subjectId: `usr_bench${seq}`,
        stateDigest: stateDigestOf({ email: `member${seq}@bench.test` }),
        data: { email: `member${seq}@bench.test` },
        requestId: null,
        prevHash,
      };
      prevHash = computeAuditEventHash(record);
      batch.push({ ...record, occurredAt: record.occurredAt.replace("Z", ""), hash: prevHash, queued: seq });
    }
    // The event, then its place in the chain (AuditPlacement), each from the same records.
    await sql(
      `INSERT INTO "AuditEvent" ("id", "queued", "occurredAt", "actorType", "actorId", "action", "subjectType",
         "subjectId", "stateDigest", "data", "requestId")
       SELECT "id", "queued", "occurredAt", "actorType", "actorId", "action", "subjectType", "subjectId",
         "stateDigest", "data", "requestId" FROM json_populate_recordset(NULL::"AuditEvent", $1::json)`,
      JSON.stringify(batch),
    );
    await sql(
      `INSERT INTO "AuditPlacement" ("seq", "eventId", "prevHash", "hash", "horizon")
       SELECT "seq", "id", "prevHash", "hash", 0
         FROM json_to_recordset($1::json) AS r("seq" bigint, "id" text, "prevHash" text, "hash" text)`,
      JSON.stringify(batch),
    );
  }
  await sql(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'queued'), ${USERS})`);
}

/** Sales of 1..1000 EUR: the clearing account debited, a theater's payable credited; two postings per entry. */
async function seedLedger() {
  await sql(`INSERT INTO "LedgerAccount" (id, kind, "orgId", currency)
    SELECT 'theater_payable:org_bench' || g || ':EUR', 'theater_payable', 'org_bench' || g, 'EUR'
      FROM generate_series(1, ${THEATERS}) g
    UNION ALL SELECT 'processor_clearing:-:EUR', 'processor_clearing', NULL, 'EUR'`);
  const entries = POSTINGS / 2;
  const chunk = 100_000;
  for (let from = 1; from <= entries; from += chunk) {
    const to = Math.min(from + chunk - 1, entries);
    const { db } = await import("@/lib/db/client");
    await db().$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO "JournalEntry" (id, kind, memo)
          SELECT 'je_bench' || lpad(g::text, 9, '0'), 'sale', 'bench sale' FROM generate_series(${from}, ${to}) g`);
        await tx.$executeRawUnsafe(`INSERT INTO "LedgerPosting" ("entryId", "accountId", currency, "amountMinor")
          SELECT 'je_bench' || lpad(g::text, 9, '0'), a.account, 'EUR', a.sign * (100 + g % 900)
            FROM generate_series(${from}, ${to}) g,
            LATERAL (VALUES ('processor_clearing:-:EUR', 1),
                            ('theater_payable:org_bench' || (1 + g % ${THEATERS}) || ':EUR', -1)) a(account, sign)`);
      },
      { timeout: 600_000 },
    );
  }
}

async function seedOrders() {
  await sql(`INSERT INTO "PaymentOrder" (id, "productKind", "theaterOrgId", description, "lineItems", "amountMinor",
      currency, "fulfilmentKind", fulfilment, status, provider, "successPath", "cancelPath", "createdByType",
      "buyerUserId", "paidAt")
    SELECT 'ord_bench' || g, 'TICKET_SALE', 'org_bench' || (1 + g % ${THEATERS}), 'Two seats',
      '[{"name":"Seat","quantity":2,"unitAmountMinor":1500}]'::jsonb, 3000, 'EUR', 'ticket',
      jsonb_build_object('showId', 'show_' || (g % 500)), 'paid', 'simulated', '/ok', '/cancel', 'client',
      'usr_bench' || (1 + g % ${USERS}), now() FROM generate_series(1, ${RECEIPTS}) g`);
  // A receipt is a compact JWS of about this size; the import does not re-verify receipts (their key does).
  await sql(`INSERT INTO "Receipt" (id, "orderId", "buyerUserId", "theaterOrgId", kind, jws, "issuedAt")
    SELECT 'rcp_bench' || g, 'ord_bench' || g, 'usr_bench' || (1 + g % ${USERS}), 'org_bench' || (1 + g % ${THEATERS}),
      'ticket', 'eyJhbGciOiJFZERTQSJ9.' || encode(sha256(g::text::bytea), 'base64') || repeat('x', 500) || '.sig',
      now() FROM generate_series(1, ${RECEIPTS}) g`);
}

/** Closed proposals with three ballots each, signed by software passkeys for the origin's relying party. */
async function seedGovernance() {
  const { ballotChallenge, justificationHashOf } = await import("@/lib/governance/verifier/ballot-content");
  const { relyingParty } = await import("@/lib/auth/relying-party");
  const rp = relyingParty();
  const voters = [1, 2, 3].map((i) => {
    const authenticator = new SoftAuthenticator(rp.origin);
    const credential = authenticator.createCredential(rp.rpID);
    return { userId: `usr_bench${i}`, authenticator, credential, coseKey: authenticator.coseKey(credential) };
  });
  const hex = (b: Buffer) => `\\x${b.toString("hex")}`;
  const opened = Date.now() - 30 * 86_400_000;
  for (let from = 1; from <= PROPOSALS; from += 250) {
    const proposals = [];
    const ballots = [];
    for (let p = from; p < Math.min(from + 250, PROPOSALS + 1); p++) {
      const id = `prop_bench${p}`;
      const digest = crypto.createHash("sha256").update(id).digest("hex");
      const at = new Date(opened + p * 1000);
      proposals.push({
        id,
        kind: "policy",
        title: `Policy ${p}`,
        content: { text: `Policy number ${p}.` },
        rule: { kind: "policy" },
        status: "closed",
        windowHours: 72,
        createdById: "usr_bench1",
        createdAt: at.toISOString().replace("Z", ""),
        openedAt: at.toISOString().replace("Z", ""),
        closesAt: new Date(at.getTime() + 72 * 3_600_000).toISOString().replace("Z", ""),
        digest,
        rosterDigest: digest,
      });
      for (const [i, voter] of voters.entries()) {
        const castAt = new Date(at.getTime() + (i + 1) * 60_000).toISOString();
        const content = {
          proposalId: id,
          proposalDigest: digest,
          voterId: voter.userId,
          choice: 1 as const,
          justificationHash: justificationHashOf(null),
          castAt,
        };
        const challenge = ballotChallenge(content);
        const response = voter.authenticator.authenticate({ challenge, rpId: rp.rpID } as never, {
          credential: voter.credential,
        }).response;
        ballots.push({
          id: `bal_bench${p}_${i}`,
          ...content,
          castAt: castAt.replace("Z", ""),
          justification: null,
          challenge,
          credentialId: voter.credential.id.toString("base64url"),
          publicKey: hex(voter.coseKey),
          authenticatorData: hex(Buffer.from(response.authenticatorData, "base64url")),
          clientDataJSON: hex(Buffer.from(response.clientDataJSON, "base64url")),
          signature: hex(Buffer.from(response.signature, "base64url")),
          signCount: voter.credential.signCount,
        });
      }
    }
    await sql(
      `INSERT INTO "Proposal" SELECT * FROM json_populate_recordset(NULL::"Proposal", $1::json)`,
      JSON.stringify(proposals),
    );
    await sql(
      `INSERT INTO "Ballot" SELECT * FROM json_populate_recordset(NULL::"Ballot", $1::json)`,
      JSON.stringify(ballots.map((b) => ({ ...b, createdAt: b.castAt }))),
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
