/**
 * `npm run bench:log [-- --only appends,sustained,serving,http,verify --appends 1000 --seconds 15 --workers 4
 *   --batch 20 --segments 3 --paced-rate 5000 --paced-seconds 10 --appender pg|prisma --connections 8 --round 1 --rounds 20 --without-lane-too
 *   --clients wrk[,autocannon] --client-decodes-bodies --port 4300 --entries 1000000 --keep]`
 *
 * The transparency log's figures, on a throwaway database on the Postgres
 * server at 127.0.0.1:5432 (docs/LOG.md). Prints one line per figure and, last,
 * one JSON object. Asserts nothing: the targets of issue 14 are printed beside
 * the figures.
 * 1. appends: one business transaction appending one audit event (one
 *    INSERT; its place in the chain is given after commit by the sequencer,
 *    whose cost the sustained figure includes), against a plain
 *    baseline inserting the same row into a table of the same shape with no
 *    chain, no lock and no log, run in alternating rounds so the machine's load
 *    hits both alike. Target: <= 1.2x the baseline.
 * 2. sustained: WORKERS concurrent appenders (transactions of BATCH events,
 *    one INSERT each, appendAuditEvent's row and statement; in a process of
 *    their own, as other instances' acts append, `--appender prisma` for
 *    appendAuditEvent in Prisma transactions in this process) for SECONDS while
 *    the integrator runs here as its background task does (a round every
 *    500 ms, at once when the last was a full batch, rounds never overlapping): entries/s committed, the checkpoint
 *    cadence, and the lag from an event's commit to the commit of the first
 *    checkpoint that covers it (p50, p99); beside it, the same transactions of
 *    plain inserts of the same rows for as long, without the log: the
 *    machine's ceiling at that moment, in SEGMENTS alternating segments of
 *    each (`--segments 3`; the integrator catches up after each logged one,
 *    not counted in the rate), so a shared machine's changing load hits both
 *    alike. Also the CPU time per entry (this process, the appenders' and the
 *    database backends'), which a shared machine's load moves far less than
 *    the rates. Then one logged segment paced at PACED_RATE entries a second
 *    (`--paced-rate 5000 --paced-seconds 10`, 0 for none): the checkpoint
 *    cadence and the lag at a stated rate. Flat out, the appenders take all
 *    the CPU they can get, and the lag grows for as long as they outrun the
 *    integrator on the shared cores; a lag is a figure of a rate. Targets:
 *    >= 5,000 entries/s flat out; at a paced rate of 5,000/s or more, a
 *    checkpoint at least every second and p99 lag < 2 s.
 * 3. serving: requests/s of the /log/checkpoint, tile and entry-bundle
 *    handlers against the discovery document's, in this process (the same
 *    route handlers Next calls, without HTTP), 8 requests in flight, each
 *    response's body read as the server sends it (its stream, chunk by chunk,
 *    as Next writes a route handler's body to the socket), in alternating
 *    rounds so the machine's load hits all alike. Target: >= 0.8x discovery.
 *    Also printed: the same with each body gathered into one ArrayBuffer, as
 *    a client would (two copies of the body per request, which weigh on a
 *    76 KB entry bundle and not on the 1.5 KB discovery document).
 * 3b. serving over HTTP from the production server (`--only http`, or
 *    with the rest): the standalone server of `npm start` (built and assembled
 *    first if need be) on the same database and log (512 entries at least),
 *    wrk (Debian's package, installed when missing as root), CONNECTIONS
 *    connections, in ROUNDS rounds of ROUND seconds of each case in turn
 *    (`--clients wrk,autocannon` adds autocannon, in this process, to the
 *    same rounds; the first one named is judged): discovery, the checkpoint, a full tile, a full
 *    entry bundle and the log's key, each answered by the protocol fast lane,
 *    every request with Accept-Encoding: gzip as a browser, fetch or CDN sends
 *    it (the lane gzips entry bundles, once per bundle; the rest goes as is).
 *    The target is judged with wrk: the client shares this machine's two
 *    cores with the server, and autocannon's CPU per response, which grows
 *    with the body, held the bundle's rate down (its figures are printed
 *    beside). autocannon reads and counts every byte but, unlike its default
 *    (`--client-decodes-bodies`), builds no string of the bodies: its UTF-8
 *    decoding of binary tiles cost more than the server's answer. Also
 *    printed: the server's CPU time per request, from /proc
 *    (on ports PORT and PORT + 1, `--port`, 4300 + an even offset by
 *    default). Target: >= 0.8x discovery, the median of the
 *    rounds' ratios with wrk (each round is a second of every case in turn;
 *    the ratio of the totals and the rounds' spread are printed too; the key
 *    is printed, not a target). `--without-lane-too` also starts a second server with
 *    OIDC_FAST_LANE=0 (every request through Next's router) and alternates it
 *    into the same rounds, for the difference the lane makes.
 * 4. verifying a log of ENTRIES entries from its tiles with tools/log-verify
 *    (`log --log DIR`, a folder mirroring the tiles, written here with
 *    lib/merkle), in its own process: wall time and peak RSS. Targets: < 30 s,
 *    < 256 MB.
 */
import { execFile, fork } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import autocannon, { type Client as AutocannonClient } from "autocannon";
import { createDatabase, dropDatabase } from "../tests/support/postgres-admin";
import { startStandalone, stopServer, testSecrets, waitForStatus } from "../tests/deploy/support/standalone-server";
import { ensureDebianPackages } from "../tests/deploy/support/haproxy";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";

const run = promisify(execFile);
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith("--") ? process.argv[i + 1] : fallback;
}
const APPENDS = Number(arg("appends", "1000"));
const SECONDS = Number(arg("seconds", "15"));
const WORKERS = Number(arg("workers", "4"));
const BATCH = Number(arg("batch", "20"));
// How the sustained part's appenders write: "pg" (prepared statements on the pool's connections) or "prisma".
const APPENDER = arg("appender", "pg");
// The sustained figure alternates plain and logged segments, SEGMENTS of each, SECONDS in all for each side.
const SEGMENTS = Number(arg("segments", "3"));
// Then one logged segment of PACED_SECONDS at PACED_RATE entries a second (0: none), for the checkpoint cadence and
// the lag at a rate the target names: flat out, the appenders take all the CPU they can, and the lag grows for as long
// as they outrun the integrator, which on two shared cores they may.
const PACED_RATE = Number(arg("paced-rate", "5000"));
const PACED_SECONDS = Number(arg("paced-seconds", "10"));
const ENTRIES = Number(arg("entries", "1000000"));
const keep = process.argv.includes("--keep");
const CONNECTIONS = Number(arg("connections", "8"));
// Over HTTP: short rounds, many of them, so the moments this virtual machine loses its CPU to its neighbours fall
// on every case alike (two-second rounds, five of them, moved the bundle's ratio between 0.76x and 0.91x from one
// idle run to the next).
const ROUND_SECONDS = Number(arg("round", "1"));
const ROUNDS = Number(arg("rounds", "20"));
// `--only appends,sustained,serving,http,verify` runs some of the parts.
const only = new Set(arg("only", "appends,sustained,serving,http,verify").split(","));
// A name of its own: on the shared machine, throwaway databases under the usual prefixes were seen dropped mid-run.
const dbName = `w14_log_bench_${Date.now().toString(36)}`;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const results: Record<string, unknown> = {};

/**
 * CPU time (ms, user + system) spent so far by this process and by the Postgres backends serving the bench's
 * database (read from /proc; the pool keeps its connections, so a difference over a segment is that segment's).
 * On a machine shared with other work, CPU per entry is the figure that load does not move; rates are.
 */
async function cpuNow(): Promise<{ node: number; postgres: number }> {
  const { db } = await import("@/lib/db/client");
  const rows = await db().$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const tick = 1000 / 100; // ms per clock tick (USER_HZ)
  let postgres = 0;
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      postgres += (Number(fields[11]) + Number(fields[12])) * tick; // utime, stime
    } catch {
      // A backend that ended meanwhile, or a server on another machine: not counted.
    }
  }
  const own = process.cpuUsage();
  return { node: (own.user + own.system) / 1000, postgres };
}

async function main() {
  if (process.argv.includes("--help")) {
    // The header comment of this file is the help.
    const header = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(fs.readFileSync(import.meta.filename, "utf8"));
    console.log((header?.[1] ?? "").replace(/^ \* ?/gm, ""));
    return;
  }
  process.env.DATABASE_URL = await createDatabase(dbName);
  process.env.DATA_DIR ??= `/tmp/${dbName}`;
  process.env.LOG_LEVEL = "warn";
  process.env.SEED_DEMO = "0";
  process.env.PUBLIC_URL ??= "http://localhost:3000";
  // The production server of the http part reads the keys this process made: the same secrets.
  Object.assign(process.env, { ...testSecrets, ...process.env });
  results.loadAverageAtStart = os.loadavg().map((l) => round(l));
  // As startPortal and the CLI do: the discovery document reads the installed claim sources.
  const { installComposition } = await import("@/lib/composition/composition");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  installComposition(portalComposition);
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
  try {
    if (only.has("appends")) await appendsAgainstBaseline();
    if (only.has("sustained")) await sustained();
    // The serving parts read the second full tile and entry bundle: the log needs 512 entries at least.
    if (only.has("serving") || only.has("http")) await ensureLogOf(2 * 256 + 1);
    if (only.has("serving")) await serving();
    if (only.has("http")) await servingOverHttp();
  } finally {
    const { closeDb } = await import("@/lib/db/close-db");
    await closeDb();
    if (!keep) await dropDatabase(dbName);
  }
  if (only.has("verify")) await verifyMillion();
  results.loadAverageAtEnd = os.loadavg().map((l) => round(l));
  console.log(JSON.stringify(results));
}

async function appendsAgainstBaseline() {
  const { db } = await import("@/lib/db/client");
  const { appendAuditEvent } = await import("@/lib/audit/append-audit-event");
  const { newId } = await import("@/lib/ids");
  await db().$executeRawUnsafe(`CREATE TABLE "BenchPlainEvent" (LIKE "AuditEvent" INCLUDING ALL)`);
  const event = (i: number) => ({
    actor: { type: "system" as const, id: "bench" },
    action: "license.activated",
    subject: { type: "license", id: `lic_${i}` },
    state: { i },
    data: { orderId: `ord_${i}` },
    requestId: "req_bench",
  });
  const timeRound = async (n: number, one: (i: number) => Promise<unknown>, concurrency: number) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) await one(next++);
      }),
    );
    return performance.now() - started;
  };
  const logged = (i: number) => db().$transaction((tx) => appendAuditEvent(tx, event(i)));
  // The same row into a table of the same shape (its keys and indexes too), inserted as is: no chain lock, no
  // head read, no hash, no log.
  const plain = (i: number) =>
    db().$transaction((tx) => {
      const e = event(i);
      return tx.$executeRaw`
        INSERT INTO "BenchPlainEvent" ("id", "occurredAt", "actorType", "actorId", "action", "subjectType", "subjectId", "stateDigest", "data", "requestId")
        VALUES (${newId("evt")}, now(), ${e.actor.type}, ${e.actor.id}, ${e.action}, ${e.subject.type}, ${e.subject.id}, ${randomBytes(32).toString("hex")}, ${JSON.stringify(e.data)}::jsonb, ${e.requestId})`;
    });
  await timeRound(50, logged, 1);
  await timeRound(50, plain, 1);
  // One transaction at a time (the cost of an append), then four at once (the chain's lock serializes appends).
  for (const concurrency of [1, 4]) {
    let loggedMs = 0;
    let plainMs = 0;
    const rounds = 5;
    for (let r = 0; r < rounds; r++) {
      loggedMs += await timeRound(APPENDS / rounds, logged, concurrency);
      plainMs += await timeRound(APPENDS / rounds, plain, concurrency);
    }
    const figures = {
      transactions: APPENDS,
      concurrency,
      loggedPerSecond: round((APPENDS / loggedMs) * 1000, 0),
      baselinePerSecond: round((APPENDS / plainMs) * 1000, 0),
      loggedMsPerAppend: round(loggedMs / APPENDS, 3),
      baselineMsPerAppend: round(plainMs / APPENDS, 3),
      costVsBaseline: round(loggedMs / plainMs),
      target: "<= 1.2",
    };
    results[concurrency === 1 ? "appends" : "appendsConcurrent"] = figures;
    console.log(`appends: ${JSON.stringify(figures)}`);
  }
}

async function sustained() {
  const { db } = await import("@/lib/db/client");
  const { appendAuditEvent, auditEventRow, INSERT_AUDIT_EVENT } = await import("@/lib/audit/append-audit-event");
  const { integrateLog } = await import("@/lib/transparency/integrate-log");
  const { limits } = await import("@/lib/config/limits");
  const { delayBeforeNextRound } = await import("@/lib/ops/background-tasks");
  await db().$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "BenchPlainEvent" (LIKE "AuditEvent" INCLUDING ALL)`);
  const INSERT_PLAIN = INSERT_AUDIT_EVENT.replace('"AuditEvent"', '"BenchPlainEvent"');
  let serial = 0;
  const event = () => {
    const n = serial++;
    return {
      actor: { type: "system" as const, id: "bench" },
      action: "ticket_sale.fulfilled",
      subject: { type: "order", id: `ord_${n}` },
      state: { n },
      data: { n },
      requestId: "req_bench",
    };
  };
  /**
   * The appenders: WORKERS transactions at once, each of BATCH events, one INSERT per event, logged (into
   * AuditEvent, as appendAuditEvent appends) or plain (the same rows into BenchPlainEvent: the machine's ceiling
   * at that moment, no log, no integrator), each commit waiting for its WAL flush (synchronous_commit stays on).
   * - `--appender pg` (the default): in a process of their own (scripts/bench-log-appenders.ts), as a portal's
   *   other instances append while one integrates, on connections of their own with the statement prepared
   *   once per connection. Through Prisma's interactive transactions a statement costs ~0.3 ms of CPU, and in
   *   this process the appenders and the integrator share one thread: both capped the figure well below
   *   5,000/s on two cores, baseline included, whatever the log did (part 1 measures appending through Prisma).
   * - `--appender prisma`: appendAuditEvent in Prisma's interactive transactions, in this process.
   * `done` is called after each commit with the events committed and the time (performance.now()).
   */
  type Segment = (
    logged: boolean,
    ms: number,
    done: (ids: string[], at: number) => void,
    ratePerSecond?: number,
  ) => Promise<number>;
  // Started (and its modules loaded) before anything is timed.
  const child =
    APPENDER === "prisma"
      ? undefined
      : fork(path.join(import.meta.dirname, "bench-log-appenders.ts"), [], {
          execArgv: process.execArgv,
          env: { ...process.env, BENCH_WORKERS: String(WORKERS), BENCH_BATCH: String(BATCH) },
        });
  if (child) await new Promise((resolve) => child.once("message", resolve));
  const inProcess: Segment = async (logged, ms, done, ratePerSecond) => {
    if (ratePerSecond) throw new Error("a paced segment needs the appenders' process (--appender pg)");
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (performance.now() < until) {
          const ids: string[] = [];
          await db().$transaction(async (tx) => {
            for (let i = 0; i < BATCH; i++) {
              if (logged) ids.push((await appendAuditEvent(tx, event())).id);
              else await tx.$executeRawUnsafe(INSERT_PLAIN, ...auditEventRow(event(), "req_bench"));
            }
          });
          done(ids, performance.now());
        }
      }),
    );
    return 0;
  };
  const inChild: Segment = (logged, ms, done, ratePerSecond) => {
    if (!child) throw new Error("no appenders' process");
    return new Promise((resolve, reject) => {
      const onMessage = (m: { committed?: { ids: string[]; at: number }; segmentDone?: { cpuMs: number } }) => {
        if (m.committed) done(m.committed.ids, m.committed.at - performance.timeOrigin);
        if (m.segmentDone) {
          child.off("message", onMessage).off("exit", onExit);
          resolve(m.segmentDone.cpuMs);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`the appenders' process exited (${code})`));
      child.on("message", onMessage).once("exit", onExit);
      child.send({ segment: { logged, ms, ratePerSecond } });
    });
  };
  const appenders: Segment = APPENDER === "prisma" ? inProcess : inChild;
  // The ceiling on this machine at this moment: the same transactions of plain inserts (no log, no integrator),
  // in segments alternating with the logged ones, so that the shared machine's load hits both alike.
  const segmentMs = (SECONDS * 1000) / SEGMENTS;
  let plainAppended = 0;
  let plainMs = 0;
  const cpu = { plain: { node: 0, postgres: 0 }, logged: { node: 0, postgres: 0 } };
  const countCpu = async (side: keyof typeof cpu, from: { node: number; postgres: number }) => {
    const to = await cpuNow();
    cpu[side].node += to.node - from.node;
    cpu[side].postgres += to.postgres - from.postgres;
  };
  const plainSegment = async () => {
    const cpuFrom = await cpuNow();
    const plainStarted = performance.now();
    const childCpuMs = await appenders(false, segmentMs, (ids) => {
      plainAppended += ids.length;
    });
    plainMs += performance.now() - plainStarted;
    await countCpu("plain", cpuFrom);
    cpu.plain.node += childCpuMs;
  };
  // Everything appended so far is integrated first, so the figures are the steady state's.
  while ((await integrateLog()).added > 0);
  // An event's place is given by the sequencer after commit: commit times are kept by event id.
  type Timings = {
    committed: Map<string, number>; // event id -> commit time
    checkpoints: { size: number; at: number }[];
    gaps: number[]; // between checkpoints of one logged segment
  };
  const flatOut: Timings = { committed: new Map(), checkpoints: [], gaps: [] };
  const paced: Timings = { committed: new Map(), checkpoints: [], gaps: [] };
  let appended = 0;
  let appendMs = 0;
  let pacedAppended = 0;
  let pacedMs = 0;
  /** A logged segment with the integrator running as its background task; flat out, or paced at `ratePerSecond`. */
  const loggedSegment = async (timings: Timings, ratePerSecond?: number) => {
    const cpuFrom = await cpuNow();
    const segmentCheckpoints: { size: number; at: number }[] = [];
    let integrating = true;
    const integrator = async () => {
      while (integrating) {
        const started = performance.now();
        // As the background task: a failed round is logged and the next one tries again.
        const r = await integrateLog().catch((err: Error) => {
          console.error(`integration round failed: ${err.message}`);
          return null;
        });
        if (r?.checkpoint) segmentCheckpoints.push({ size: r.size, at: performance.now() });
        const delay = delayBeforeNextRound(
          limits.timers.logIntegrationMs,
          performance.now() - started,
          r?.behind ?? false,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    };
    const started = performance.now();
    const integration = integrator();
    let segmentAppended = 0;
    const appenderCpuMs = await appenders(
      true,
      ratePerSecond ? PACED_SECONDS * 1000 : segmentMs,
      (ids, at) => {
        for (const id of ids) timings.committed.set(id, at);
        segmentAppended += ids.length;
      },
      ratePerSecond,
    );
    const segmentMsTaken = performance.now() - started;
    // Let the integrator catch up (not counted in the rate), then stop it.
    const total = await db().auditEvent.count();
    const catchUpUntil = performance.now() + 120_000;
    while ((segmentCheckpoints.at(-1)?.size ?? 0) < total && performance.now() < catchUpUntil)
      await new Promise((resolve) => setTimeout(resolve, 50));
    integrating = false;
    await integration;
    timings.gaps.push(...segmentCheckpoints.slice(1).map((k, i) => k.at - segmentCheckpoints[i].at));
    timings.checkpoints.push(...segmentCheckpoints);
    if (ratePerSecond) {
      pacedAppended += segmentAppended;
      pacedMs += segmentMsTaken;
      return;
    }
    appended += segmentAppended;
    appendMs += segmentMsTaken;
    // The segment's CPU includes integrating what it appended (the catch-up too).
    await countCpu("logged", cpuFrom);
    cpu.logged.node += appenderCpuMs;
  };
  try {
    for (let segment = 0; segment < SEGMENTS; segment++) {
      await plainSegment();
      await loggedSegment(flatOut);
    }
    if (PACED_RATE > 0) await loggedSegment(paced, PACED_RATE);
  } finally {
    child?.send({ stop: true });
  }
  const baselineEntriesPerSecond = plainAppended / (plainMs / 1000);
  const appendSeconds = appendMs / 1000;

  const places = await db().auditPlacement.findMany({
    where: { event: { action: "ticket_sale.fulfilled" } },
    select: { eventId: true, seq: true },
  });
  const seqOf = new Map(places.map((p) => [p.eventId, p.seq]));
  /** From each event's commit to the first checkpoint that covers it; the checkpoints' interval. */
  const cadence = ({ committed, checkpoints, gaps }: Timings) => {
    const lags: number[] = [];
    let c = 0;
    const bySeq = [...committed.entries()]
      .filter(([id]) => seqOf.has(id))
      .map(([id, at]) => [seqOf.get(id) as bigint, at] as const)
      .sort((a, b) => Number(a[0] - b[0]));
    for (const [seq, at] of bySeq) {
      while (c < checkpoints.length && checkpoints[c].size < Number(seq)) c++;
      if (c < checkpoints.length) lags.push(checkpoints[c].at - at);
    }
    return {
      checkpoints: checkpoints.length,
      checkpointIntervalMs: { p50: round(percentile(gaps, 50) ?? 0, 0), max: round(Math.max(0, ...gaps), 0) },
      lagCommitToIntegratedMs: { p50: round(percentile(lags, 50) ?? 0, 0), p99: round(percentile(lags, 99) ?? 0, 0) },
    };
  };
  results.sustained = {
    seconds: round(appendSeconds, 1),
    workers: WORKERS,
    appender:
      APPENDER === "prisma"
        ? "appendAuditEvent in Prisma transactions, in this process"
        : "appendAuditEvent's row and statement, prepared, in a process of their own",
    alternatingSegments: SEGMENTS,
    eventsPerTransaction: BATCH,
    entriesPerSecond: round(appended / appendSeconds, 0),
    baselineEntriesPerSecond: round(baselineEntriesPerSecond, 0),
    vsBaseline: round(appended / appendSeconds / baselineEntriesPerSecond),
    cpuMicrosecondsPerEntry: {
      logged: {
        node: round((cpu.logged.node * 1000) / appended, 0),
        postgres: round((cpu.logged.postgres * 1000) / appended, 0),
      },
      baseline: {
        node: round((cpu.plain.node * 1000) / plainAppended, 0),
        postgres: round((cpu.plain.postgres * 1000) / plainAppended, 0),
      },
      vsBaseline: round(
        (cpu.logged.node + cpu.logged.postgres) / appended / ((cpu.plain.node + cpu.plain.postgres) / plainAppended),
      ),
    },
    flatOut: cadence(flatOut),
    ...(PACED_RATE > 0
      ? {
          paced: {
            askedPerSecond: PACED_RATE,
            entriesPerSecond: round(pacedAppended / (pacedMs / 1000), 0),
            seconds: round(pacedMs / 1000, 1),
            ...cadence(paced),
          },
        }
      : {}),
    targets: {
      entriesPerSecond: ">= 5000 (flat out)",
      checkpointIntervalMs: "<= 1000",
      p99LagMs: "< 2000, at a paced rate of 5,000/s or more (flat out, the appenders may outrun the integrator)",
    },
  };
  console.log(`sustained: ${JSON.stringify(results.sustained)}`);
}

/** Appends and integrates events until the log holds `entries`, in large transactions (the sustained part may have written fewer on a loaded machine). */
async function ensureLogOf(entries: number) {
  const { db } = await import("@/lib/db/client");
  const { appendAuditEvent } = await import("@/lib/audit/append-audit-event");
  const { integrateLog } = await import("@/lib/transparency/integrate-log");
  let size = (await integrateLog()).size;
  while (size < entries) {
    await db().$transaction(
      async (tx) => {
        for (let i = 0; i < Math.min(500, entries - size); i++)
          await appendAuditEvent(tx, {
            actor: { type: "system", id: "bench" },
            action: "ticket_sale.fulfilled",
            subject: { type: "order", id: `ord_fill_${size + i}` },
            state: { i: size + i },
            data: { n: size + i },
            requestId: "req_bench",
          });
      },
      { timeout: 120_000 },
    );
    size = (await integrateLog()).size;
  }
}

async function serving() {
  const { GET: discovery } = await import("@/lib/oidc/http/discovery-endpoint");
  const { GET: checkpoint } = await import("@/app/log/checkpoint/route");
  const { GET: tile } = await import("@/app/log/tile/[...path]/route");
  const { tilePath } = await import("@/lib/merkle/tile-paths");
  const base = process.env.PUBLIC_URL as string;
  let gather = false;
  const send = async (res: Response) => {
    if (gather) return (await res.arrayBuffer()).byteLength;
    let bytes = 0;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
    return bytes;
  };
  const call = (
    handler: (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>,
    url: string,
    params: unknown = {},
  ) => handler(new Request(`${base}${url}`), { params: Promise.resolve(params) }).then(send);
  const fullTile = tilePath({ level: 0, index: 1, width: 256 });
  const bundle = tilePath({ level: "entries", index: 1, width: 256 });
  const cases: Record<string, () => Promise<unknown>> = {
    discovery: () => call(discovery as never, "/.well-known/openid-configuration"),
    checkpoint: () => call(checkpoint as never, "/log/checkpoint"),
    tile: () => call(tile as never, `/log/${fullTile}`, { path: fullTile.split("/").slice(1) }),
    entryBundle: () => call(tile as never, `/log/${bundle}`, { path: bundle.split("/").slice(1) }),
  };
  const rate = async (one: () => Promise<unknown>, ms: number) => {
    let done = 0;
    const until = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          await one();
          done += 1;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  };
  // Alternating rounds of 100 ms, 30 of each case, so a change in the machine's load over the run hits every case.
  const rates = async () => {
    const served: Record<string, number> = {};
    const seconds: Record<string, number> = {};
    for (let r = 0; r < 30; r++)
      for (const [name, one] of Object.entries(cases)) {
        const started = performance.now();
        const perSecond = await rate(one, 100);
        const took = (performance.now() - started) / 1000;
        served[name] = (served[name] ?? 0) + perSecond * took;
        seconds[name] = (seconds[name] ?? 0) + took;
      }
    return Object.fromEntries(Object.keys(cases).map((name) => [name, round(served[name] / seconds[name], 0)]));
  };
  const vsDiscovery = (r: Record<string, number>) => ({
    checkpoint: round(r.checkpoint / r.discovery),
    tile: round(r.tile / r.discovery),
    entryBundle: round(r.entryBundle / r.discovery),
  });
  for (const one of Object.values(cases)) await rate(one, 1000);
  const sent = await rates();
  gather = true;
  const gathered = await rates();
  results.serving = {
    inProcess: "route handlers called in this process, no HTTP; 8 in flight; bodies read as a stream",
    requestsPerSecond: sent,
    vsDiscovery: vsDiscovery(sent),
    target: ">= 0.8",
    bodiesGatheredIntoArrayBuffers: { requestsPerSecond: gathered, vsDiscovery: vsDiscovery(gathered) },
  };
  console.log(`serving: ${JSON.stringify(results.serving)}`);
}

type LoadGenerator = "wrk" | "autocannon";

/**
 * One wrk run against `url`: CONNECTIONS connections on one thread, every request accepting gzip. Fails on any
 * answer other than 2xx or 3xx, any socket error, or fewer bytes read than `sent` (the body's bytes as sent) a
 * request, so a rate is never one of refusals or of bodies cut short.
 */
async function wrkRun(url: string, seconds: number, sent: number): Promise<{ requests: number; seconds: number }> {
  const { stdout } = await run("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "-H", "Accept-Encoding: gzip", url]);
  const done = /(\d+) requests in ([\d.]+)(ms|s|m), ([\d.]+)(B|KB|MB|GB) read/.exec(stdout);
  if (!done) throw new Error(`wrk ${url}: no summary in\n${stdout}`);
  if (/Non-2xx or 3xx responses|Socket errors/.test(stdout)) throw new Error(`wrk ${url}:\n${stdout}`);
  const requests = Number(done[1]);
  const unit = { ms: 0.001, s: 1, m: 60 }[done[3] as "ms" | "s" | "m"];
  const read = Number(done[4]) * { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[done[5] as "B" | "KB" | "MB" | "GB"];
  if (read / requests < sent * 0.99) throw new Error(`wrk ${url}: ${read / requests} bytes a response, ${sent} sent`);
  return { requests, seconds: Number(done[2]) * unit };
}

async function servingOverHttp() {
  ensurePortalBuild();
  await run(process.execPath, ["scripts/assemble-standalone.mjs"], { maxBuffer: 16 * 1024 * 1024 });
  const { tilePath } = await import("@/lib/merkle/tile-paths");
  const env = { DATABASE_URL: process.env.DATABASE_URL as string, LOG_LEVEL: "warn", RATE_LIMIT_FACTOR: "1000" };
  // Two ports (with --without-lane-too) from PORT, 4300 + an even offset by default.
  const port = Number(arg("port", String(4300 + (process.pid % 48) * 2)));
  const servers = [startStandalone(port, env)];
  if (process.argv.includes("--without-lane-too"))
    servers.push(startStandalone(port + 1, { ...env, OIDC_FAST_LANE: "0" }));
  try {
    await Promise.all(servers.map((s) => waitForStatus(`${s.url}/log/checkpoint`, 200, 180_000, s)));
    const paths = {
      discovery: "/.well-known/openid-configuration",
      checkpoint: "/log/checkpoint",
      tile: `/log/${tilePath({ level: 0, index: 1, width: 256 })}`,
      entryBundle: `/log/${tilePath({ level: "entries", index: 1, width: 256 })}`,
      key: "/log/key",
    };
    // Every request accepts gzip, as browsers, fetch and CDNs do: the lane sends entry bundles gzipped then
    // (docs/LOG.md, "Reading the log"), everything else as it is. The body's bytes as sent, and decoded.
    const ACCEPT = { "accept-encoding": "gzip" };
    const bytes: Record<string, number> = {};
    const sentBytes: Record<string, number> = {};
    for (const [name, p] of Object.entries(paths)) {
      const res = await fetch(`${servers[0].url}${p}`, { headers: ACCEPT });
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      bytes[name] = (await res.arrayBuffer()).byteLength;
      sentBytes[name] = await new Promise<number>((resolve, reject) =>
        http
          .get(`${servers[0].url}${p}`, { headers: ACCEPT }, (r) => {
            let n = 0;
            r.on("data", (c: Buffer) => {
              n += c.length;
            });
            r.on("end", () => resolve(n));
          })
          .on("error", reject),
      );
    }
    // The load generator: wrk (Debian's package; C, one thread) by default, by which the target is judged: the
    // server's rate is the figure, and on this 2-core machine the client shares the CPU with the server.
    // autocannon (JavaScript, in this process; `--clients wrk,autocannon` runs both in the same rounds) spends
    // several times wrk's CPU per response, more with the body's size, and with a busy client the server gets its
    // requests one at a time and shares nothing between them: it held the 18 KB gzipped bundle to 0.62x to 0.84x
    // of discovery where wrk, in the same minutes, measured 0.79x to 0.97x (docs/LOG.md).
    // autocannon appends every response body to a string (`body += chunk`, pipelinedRequestsQueue.js) that
    // nothing reads unless a body is to be checked: decoding 8 KB of random tile bytes or a gzipped bundle as
    // UTF-8 cost the client 200 to 400 µs a response, four times a discovery document's. Real clients (a CDN, a
    // verifier) keep bytes as bytes: it reads and counts every byte here and builds no string
    // (`--client-decodes-bodies` for autocannon's way).
    const clients = arg("clients", "wrk").split(",") as LoadGenerator[];
    if (clients.includes("wrk")) ensureDebianPackages(["wrk"], ["wrk"]);
    const keepBodies = process.argv.includes("--client-decodes-bodies");
    const countOnly = (client: AutocannonClient) => {
      client.pipelinedRequests.addBody = () => {};
    };
    const measure = async (client: LoadGenerator, url: string, seconds: number, sent: number) => {
      if (client === "wrk") return wrkRun(url, seconds, sent);
      const r = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: ACCEPT,
        ...(keepBodies ? {} : { setupClient: countOnly }),
      });
      if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} answers other than 2xx, ${r.errors} errors`);
      return { requests: r.requests.total, seconds: r.duration };
    };
    // The server's own CPU time (user + system, from /proc), which a shared machine's load moves less than rates.
    const serverCpuMs = (pid: number | undefined) => {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
    };
    for (const client of clients)
      for (const s of servers)
        for (const [name, p] of Object.entries(paths)) await measure(client, `${s.url}${p}`, 1, sentBytes[name]);
    const totals: Record<string, { requests: number; seconds: number; serverCpuMs: number }> = {};
    // Each round's rate by case, for the spread of the ratios round by round (the printed ratio is of the totals).
    const roundRates: Record<string, number[]> = {};
    for (let r = 0; r < ROUNDS; r++)
      for (const client of clients)
        for (const [i, s] of servers.entries())
          for (const [name, p] of Object.entries(paths)) {
            const key = `${client}.${i === 0 ? "lane" : "nextOnly"}.${name}`;
            const cpuFrom = serverCpuMs(s.child.pid);
            const m = await measure(client, `${s.url}${p}`, ROUND_SECONDS, sentBytes[name]);
            (roundRates[key] ??= []).push(m.requests / m.seconds);
            totals[key] = {
              requests: (totals[key]?.requests ?? 0) + m.requests,
              seconds: (totals[key]?.seconds ?? 0) + m.seconds,
              serverCpuMs: (totals[key]?.serverCpuMs ?? 0) + serverCpuMs(s.child.pid) - cpuFrom,
            };
          }
    const rates = (server: string) =>
      Object.fromEntries(
        Object.keys(paths).map((name) => {
          const t = totals[`${server}.${name}`];
          return [name, round(t.requests / t.seconds, 0)];
        }),
      );
    const figures = (server: string) => {
      const r = rates(server);
      const cpu = Object.fromEntries(
        Object.keys(paths).map((name) => {
          const t = totals[`${server}.${name}`];
          return [name, round((t.serverCpuMs * 1000) / t.requests, 0)];
        }),
      );
      const discoveryRounds = roundRates[`${server}.discovery`];
      const spread = (name: string) => {
        const ratios = roundRates[`${server}.${name}`].map((rate, i) => rate / discoveryRounds[i]);
        return {
          median: round(percentile(ratios, 50) ?? 0),
          min: round(Math.min(...ratios)),
          max: round(Math.max(...ratios)),
        };
      };
      return {
        requestsPerSecond: r,
        serverCpuMicrosecondsPerRequest: cpu,
        vsDiscovery: {
          checkpoint: round(r.checkpoint / r.discovery),
          tile: round(r.tile / r.discovery),
          entryBundle: round(r.entryBundle / r.discovery),
          key: round(r.key / r.discovery),
        },
        vsDiscoveryRoundByRound: {
          checkpoint: spread("checkpoint"),
          tile: spread("tile"),
          entryBundle: spread("entryBundle"),
        },
      };
    };
    const clientNames: Record<LoadGenerator, string> = {
      wrk: "wrk (Debian's package), one thread, reading every byte",
      autocannon: keepBodies
        ? "autocannon as it is (each body decoded into a string)"
        : "autocannon reading and counting every byte, building no string of the bodies",
    };
    const [judged, ...others] = clients;
    const byClient = (client: LoadGenerator) => ({
      client: clientNames[client],
      ...figures(`${client}.lane`),
      ...(servers.length > 1 ? { withoutTheLane: figures(`${client}.nextOnly`) } : {}),
    });
    results.servingHttp = {
      server: "the standalone production server (npm start), over HTTP on loopback",
      connections: CONNECTIONS,
      rounds: `${ROUNDS} rounds, each ${ROUND_SECONDS} s of every case with every client in turn`,
      acceptEncoding: ACCEPT["accept-encoding"],
      bodyBytes: bytes,
      bodyBytesSent: sentBytes,
      ...byClient(judged),
      // A round is one second of each case back to back; the median of the rounds' ratios is the figure a second
      // in which the machine lost its CPU to its neighbours moves least (the ratio of the totals is printed too).
      target: `>= 0.8, the median of the rounds' ratios with ${judged}`,
      ...Object.fromEntries(others.map((client) => [client, byClient(client)])),
      loadAverage: os.loadavg().map((l) => round(l)),
    };
    console.log(`serving over HTTP: ${JSON.stringify(results.servingHttp)}`);
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

async function verifyMillion() {
  const { formatCheckpointText } = await import("@/lib/merkle/checkpoint");
  const { SIGNATURE_TYPE, ed25519RawPublicKey, formatNote, formatVerifierKey, signNoteText } = await import(
    "@/lib/merkle/signed-note"
  );
  const { appendToEdge, edgeRoot } = await import("@/lib/merkle/tile-edge");
  const { TILE_WIDTH, tilePath } = await import("@/lib/merkle/tile-paths");
  const { leafHash } = await import("@/lib/merkle/tree-hash");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-bench-log-"));
  try {
    const origin = "bench.example/log";
    const key = generateKeyPairSync("ed25519").privateKey;
    const written = performance.now();
    let edge: import("@/lib/merkle/tile-edge").TileEdge = { size: 0, levels: [] };
    const write = (rel: string, bytes: Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), bytes);
    };
    let bytes = 0;
    for (let at = 0; at < ENTRIES; at += TILE_WIDTH) {
      const entries: Buffer[] = [];
      for (let i = at; i < Math.min(ENTRIES, at + TILE_WIDTH); i++)
        entries.push(
          Buffer.from(
            JSON.stringify({
              v: 1,
              event: `evt_${i.toString(36).padStart(22, "0")}`,
              at: new Date(1_796_000_000_000 + i).toISOString(),
              action: "license_certificate.issued",
              actor: { type: "user", id: `usr_${(i % 997).toString(36).padStart(22, "0")}` },
              subject: { type: "license", id: `lic_${(i % 5003).toString(36).padStart(22, "0")}` },
              state: { digest: leafHash(Buffer.from(String(i))).toString("hex") },
              data: { certificateId: `crt_${i}`, serialHex: (i * 7919).toString(16), keyAlgorithm: "ES256" },
            }),
          ),
        );
      const step = appendToEdge(
        edge,
        entries.map((e) => leafHash(e)),
      );
      edge = step.edge;
      for (const t of step.changed)
        write(tilePath({ level: t.level, index: t.index, width: t.hashes.length }), Buffer.concat(t.hashes));
      const bundle = Buffer.concat(
        entries.flatMap((e) => {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(e.length);
          return [length, e];
        }),
      );
      bytes += bundle.length;
      write(tilePath({ level: "entries", index: at / TILE_WIDTH, width: entries.length }), bundle);
    }
    const text = formatCheckpointText({ origin, size: ENTRIES, rootHash: edgeRoot(edge) });
    write("checkpoint", Buffer.from(formatNote(text, [signNoteText(text, origin, key)])));
    const vkey = formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, ed25519RawPublicKey(key));
    const writeSeconds = (performance.now() - written) / 1000;
    console.log(
      `a ${ENTRIES}-entry log (${round(bytes / 1e6, 0)} MB of entries) written as tiles in ${round(writeSeconds, 1)} s`,
    );

    const started = performance.now();
    // GNU time reports the verifier's own peak resident set (maximum RSS, KiB) on stderr.
    const { stdout, stderr } = await run(
      "/usr/bin/time",
      [
        "-f",
        "maxrss_kib=%M cpu_seconds=%U+%S",
        process.execPath,
        "tools/log-verify/bin.mjs",
        "log",
        "--log",
        dir,
        "--key",
        vkey,
        "--json",
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
    );
    const seconds = (performance.now() - started) / 1000;
    const verdict = JSON.parse(stdout.trim().split("\n").at(-1) as string);
    const maxRss = Number(/maxrss_kib=(\d+)/.exec(stderr)?.[1] ?? 0);
    // Its CPU time (user + system) beside the wall time: on a shared machine the wall time includes waiting for a core.
    const cpu = /cpu_seconds=([\d.]+)\+([\d.]+)/.exec(stderr);
    const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
    results.verifyLog = {
      entries: ENTRIES,
      entryMegabytes: round(bytes / 1e6, 0),
      verified: verdict.entries === ENTRIES,
      tilesChecked: verdict.tilesChecked,
      seconds: round(seconds, 1),
      verifierOwnSeconds: round(verdict.seconds, 1),
      verifierCpuSeconds: cpuSeconds === null ? null : round(cpuSeconds, 1),
      peakRssMegabytes: round(maxRss / 1024, 0),
      source: "a folder mirroring the tiles",
      targets: { seconds: "< 30", peakRssMegabytes: "< 256" },
    };
    console.log(`verify: ${JSON.stringify(results.verifyLog)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
