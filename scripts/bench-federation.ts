// `npm run bench:federation`: the federation's figures, printed as JSON on the last line.
//  1. HTTP rates on the production build (next start, protocol fast lane on, a fresh Postgres database):
//     the anchor's Entity Configuration and the trust mark status endpoint beside the discovery document,
//     under the same closed-loop load (autocannon), with the ratios (target: at least 0.8).
//  2. Resolving a trust chain from cached statements ([host EC, subordinate statement, anchor EC], as a
//     resolver holds them after fetching): signatures, times and the metadata policy, per resolution
//     (target: under 1 ms), with the validator written in the tests from the specification.
//  3. Fanning one event out to 1,000 webhook subscribers on loopback: from the event's commit until every
//     delivery is acknowledged (target: under 10 s), Ed25519-signed, through the outbox.
// The machine is shared: the load averages are printed with the figures. Asserts nothing.
// BENCH_SERVE=in-process: the same three requests served by this process instead of `next start` (no build):
// the portal's start, the peer-address stamp, the protocol fast lane and the request metrics installed on a
// plain node server, as instrumentation-node.ts installs them, with the load from an autocannon child process,
// so `node --cpu-prof` on this script profiles the serving alone (the figures then include the tsx loader's
// code, not the production bundle's: compare ratios, not rates, with the default mode).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import autocannon, { type Result as AutocannonResult } from "autocannon";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { createDatabase, databaseUrl, dropDatabase } from "../tests/support/postgres-admin";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";
import { processTable, processTreeCpuSeconds } from "./bench-process-cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const PORT = 3900 + (process.pid % 90);
const DB_NAME = `gh_bench_fed_${Date.now().toString(36)}`;
const PUBLIC_URL = `http://localhost:${PORT}`;
const secrets = {
  MASTER_KEY: Buffer.alloc(32, 6).toString("base64"),
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
};

const IN_PROCESS = process.env.BENCH_SERVE === "in-process";

const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

async function waitFor(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

function startPortal(): ChildProcess {
  ensurePortalBuild();
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        ...secrets,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl(DB_NAME),
        PUBLIC_URL,
        SEED_DEMO: "0",
        LOG_LEVEL: "warn",
        PAYMENTS_PROVIDER: "simulated",
      },
    },
  );
  return child;
}

type Target = { path: string; method: "GET" | "POST"; headers?: Record<string, string>; body?: string };

/** autocannon as a child process, so that its client's CPU is not in this process's profile. */
function autocannonChild(t: Target, seconds: number): Promise<AutocannonResult> {
  const args = ["node_modules/autocannon/autocannon.js", "-j", "-c", String(CONCURRENCY), "-d", String(seconds)];
  args.push("-m", t.method, "-H", `host=localhost:${PORT}`);
  for (const [k, v] of Object.entries(t.headers ?? {})) args.push("-H", `${k}=${v}`);
  if (t.body) args.push("-b", t.body);
  args.push(`http://127.0.0.1:${PORT}${t.path}`);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 16 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout) as AutocannonResult),
    ),
  );
}

/** CPU seconds the serving process has used so far: the portal's process tree, or this process when it serves. */
function servingCpuSeconds(): number {
  if (IN_PROCESS) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  return servingPid ? processTreeCpuSeconds(processTable(), servingPid) : Number.NaN;
}

let servingPid: number | undefined;

const IDLE_SECONDS = 2;

/**
 * The serving process's CPU per second while nobody calls it (its background work: the outbox, the invalidation
 * feed's heartbeat, sweeps), measured just before a run so it can be taken out of the CPU per request: at a few
 * hundred requests a second on a loaded machine it is otherwise a large share of that figure.
 */
async function idleCpuPerSecond(): Promise<number> {
  const before = servingCpuSeconds();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  return (servingCpuSeconds() - before) / IDLE_SECONDS;
}

async function rate(t: Target, seconds: number) {
  const idle = await idleCpuPerSecond();
  const cpuBefore = servingCpuSeconds();
  const options = {
    url: `http://127.0.0.1:${PORT}${t.path}`,
    connections: CONCURRENCY,
    duration: seconds,
    method: t.method,
    headers: { host: `localhost:${PORT}`, ...t.headers },
    body: t.body,
  };
  const r = IN_PROCESS ? await autocannonChild(t, seconds) : await autocannon(options);
  const cpuSeconds = servingCpuSeconds() - cpuBefore;
  const perRequest = (cpu: number) => Math.round((cpu * 1e6) / Math.max(1, r.requests.total));
  return {
    rps: Math.round(r.requests.total / r.duration),
    // What the rate depends on less than on the machine's other load: the server's CPU per answer, with and
    // without the share of its idle background work.
    serverCpuUsPerRequest: perRequest(cpuSeconds),
    serverCpuUsPerRequestNetOfIdle: perRequest(Math.max(0, cpuSeconds - idle * r.duration)),
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

async function httpRates(trustMark: string) {
  const targets: Record<string, Target> = {
    discovery: { path: "/.well-known/openid-configuration", method: "GET" },
    entity_configuration: { path: "/.well-known/openid-federation", method: "GET" },
    trust_mark_status: {
      path: "/federation/trust-mark-status",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ trust_mark: trustMark }).toString(),
    },
  };
  const out: Record<string, Awaited<ReturnType<typeof rate>>> = {};
  // Every target warmed up before any is measured, so the first one measured is not the one that pays for the
  // server's first minutes (compiling, its start's background work); then each warmed up again just before its run.
  for (const t of Object.values(targets)) await rate(t, WARMUP_SECONDS);
  for (const [name, t] of Object.entries(targets)) {
    await rate(t, WARMUP_SECONDS);
    out[name] = await rate(t, SECONDS);
    const o = out[name];
    console.log(
      `${name}: ${o.rps} req/s, p99 ${o.p99Ms} ms, errors ${o.errors}, server CPU ${o.serverCpuUsPerRequest} us/request (${o.serverCpuUsPerRequestNetOfIdle} net of idle)`,
    );
  }
  return {
    ...out,
    entityConfigurationVsDiscovery: Number((out.entity_configuration.rps / out.discovery.rps).toFixed(2)),
    trustMarkStatusVsDiscovery: Number((out.trust_mark_status.rps / out.discovery.rps).toFixed(2)),
    trustMarkStatusCpuVsDiscovery: Number(
      (out.trust_mark_status.serverCpuUsPerRequestNetOfIdle / out.discovery.serverCpuUsPerRequestNetOfIdle).toFixed(2),
    ),
  };
}

/** The portal's start and the fast lane on a plain node server in this process, as instrumentation-node.ts does. */
async function serveInProcess(): Promise<http.Server> {
  const { startPortal } = await import("../lib/start-portal");
  const { portalComposition } = await import("../lib/composition/portal-composition");
  await startPortal(portalComposition);
  const { installPeerAddressHeader } = await import("../lib/http/peer-address");
  const { installProtocolFastLane, oidcFastLaneRoutes } = await import(
    "../lib/protocol-fast-lane/install-protocol-fast-lane"
  );
  const { federationFastLaneRoutes } = await import("../lib/federation/http/federation-fast-lane-routes");
  const { installRequestMetrics } = await import("../lib/ops/install-request-metrics");
  installPeerAddressHeader();
  installProtocolFastLane(PUBLIC_URL, new Map([...oidcFastLaneRoutes, ...federationFastLaneRoutes]));
  installRequestMetrics();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(PORT, "127.0.0.1", r));
  return server;
}

/** A trust chain as a resolver caches it, resolved again and again in this process. */
async function chainResolution(iterations: number) {
  const { validateTrustChain } = await import("../tests/support/federation-chain");
  const { hostMetadataPolicy } = await import("../lib/federation/metadata-policy");
  const anchorKeys = await generateKeyPair("ES256");
  const hostKeys = await generateKeyPair("ES256");
  const anchorJwk = { ...(await exportJWK(anchorKeys.publicKey)), kid: "anchor", alg: "ES256" } as JWK;
  const hostJwk = { ...(await exportJWK(hostKeys.publicKey)), kid: "host", alg: "ES256" } as JWK;
  const anchor = "https://anchor.example.org";
  const host = "https://host.example.org";
  const now = Math.floor(Date.now() / 1000);
  const statement = (claims: Record<string, unknown>, kid: string, key: CryptoKey) =>
    new SignJWT({ iat: now, exp: now + 3600, ...claims })
      .setProtectedHeader({ alg: "ES256", kid, typ: "entity-statement+jwt" })
      .sign(key);
  const chain = [
    await statement(
      {
        iss: host,
        sub: host,
        jwks: { keys: [hostJwk] },
        authority_hints: [anchor],
        metadata: {
          openid_relying_party: {
            redirect_uris: [`${host}/cb`, "https://elsewhere.example/cb"],
            grant_types: ["authorization_code"],
            scope: "openid email admin",
            token_endpoint_auth_method: "private_key_jwt",
          },
        },
      },
      "host",
      hostKeys.privateKey as CryptoKey,
    ),
    await statement(
      { iss: anchor, sub: host, jwks: { keys: [hostJwk] }, metadata_policy: hostMetadataPolicy([`${host}/cb`]) },
      "anchor",
      anchorKeys.privateKey as CryptoKey,
    ),
    await statement(
      { iss: anchor, sub: anchor, jwks: { keys: [anchorJwk] } },
      "anchor",
      anchorKeys.privateKey as CryptoKey,
    ),
  ];
  const trust = { entityId: anchor, jwks: { keys: [anchorJwk] } };
  for (let i = 0; i < 200; i++) await validateTrustChain(chain, trust);
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await validateTrustChain(chain, trust);
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpuBefore);
  // On a shared machine the wall time includes waiting for a core; the CPU time per resolution does not.
  const cpuMsPerResolution = Number(((cpu.user + cpu.system) / 1000 / iterations).toFixed(3));
  times.sort((x, y) => x - y);
  const at = (q: number) => Number(times[Math.floor(q * (times.length - 1))].toFixed(3));
  return {
    iterations,
    cpuMsPerResolution,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    meanMs: Number((times.reduce((s, x) => s + x, 0) / iterations).toFixed(3)),
  };
}

/** One event to SUBSCRIBERS subscriptions of as many host organizations, on one loopback receiver. */
async function webhookFanOut() {
  const { db } = await import("../lib/db/client");
  const { newId } = await import("../lib/ids");
  const { emitWebhookEvent } = await import("../lib/webhooks/emit-webhook-event");
  const { drainOutbox } = await import("../lib/outbox/kick-outbox");
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const orgIds = Array.from({ length: SUBSCRIBERS }, () => newId("org"));
  await db().organization.createMany({
    data: orgIds.map((id, i) => ({
      id,
      slug: `bench-host-${i}-${id.slice(-6).toLowerCase()}`,
      name: `Bench host ${i}`,
      kind: "HOST",
    })),
  });
  await db().webhookSubscription.createMany({
    data: orgIds.map((orgId) => ({
      id: newId("whs"),
      orgId,
      orgKind: "HOST",
      url,
      eventTypes: ["release.approved"],
      createdById: "bench",
    })),
  });
  const started = performance.now();
  const eventId = await db().$transaction((tx) =>
    emitWebhookEvent(tx, { type: "release.approved", orgId: null, toHosts: true, data: { releaseId: "rel_bench" } }),
  );
  await drainOutbox();
  while ((await db().webhookDelivery.count({ where: { eventId, status: "delivered" } })) < SUBSCRIBERS) {
    if (performance.now() - started > 120_000) break;
    await drainOutbox();
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const delivered = await db().webhookDelivery.count({ where: { eventId, status: "delivered" } });
  receiver.close();
  return { subscribers: SUBSCRIBERS, delivered, received, seconds: Number(seconds.toFixed(2)) };
}

async function main() {
  await createDatabase(DB_NAME);
  let portal: ChildProcess | undefined;
  let server: http.Server | undefined;
  // BENCH_HTTP=0: only the in-process figures (no build, no server; the migrations are applied here).
  const withHttp = process.env.BENCH_HTTP !== "0";
  try {
    if (withHttp && !IN_PROCESS) {
      portal = startPortal();
      servingPid = portal.pid;
      await waitFor(`http://127.0.0.1:${PORT}/api/health`);
    }
    Object.assign(process.env, {
      ...secrets,
      DATABASE_URL: databaseUrl(DB_NAME),
      PUBLIC_URL,
      LOG_LEVEL: "silent",
      SEED_DEMO: "0",
    });
    const { installComposition } = await import("../lib/composition/composition");
    const { portalComposition } = await import("../lib/composition/portal-composition");
    installComposition(portalComposition);
    if (withHttp && IN_PROCESS) server = await serveInProcess();
    if (!withHttp) await (await import("../lib/db/prepare-database")).prepareDatabase();
    const { seedActiveLicense } = await import("../tests/integration/licensing/helpers");
    const { issueTrustMark, theaterSubject } = await import("../lib/federation/trust-marks");
    const { trustMarkTypes } = await import("../lib/federation/federation-constants");
    const { license, org } = await seedActiveLicense();
    const trustMark = await issueTrustMark(
      new URLSearchParams({
        trust_mark_type: trustMarkTypes().licensedTheater,
        sub: theaterSubject(org.id),
        license_id: license.id,
      }),
    );
    const loadBefore = loadAverage();
    const httpFigures = withHttp ? await httpRates(trustMark) : null;
    const chain = await chainResolution(2000);
    console.log(
      `trust chain from cached statements: ${chain.cpuMsPerResolution} ms of CPU each; wall median ${chain.medianMs} ms, p99 ${chain.p99Ms} ms`,
    );
    const fanOut = await webhookFanOut();
    console.log(`webhook fan-out: ${fanOut.delivered}/${fanOut.subscribers} delivered in ${fanOut.seconds} s`);
    console.log(
      JSON.stringify({
        bench: "federation",
        seconds: SECONDS,
        connections: CONCURRENCY,
        http: httpFigures,
        trustChainFromCache: chain,
        webhookFanOut: fanOut,
        loadAverage: { before: loadBefore, after: loadAverage() },
        cpus: os.cpus().length,
      }),
    );
    const { closeDb } = await import("../lib/db/close-db");
    await closeDb();
  } finally {
    portal?.kill("SIGTERM");
    server?.close();
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase(DB_NAME).catch(() => {});
  }
  process.exit(0);
}

await main();
