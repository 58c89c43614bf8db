// `npm run bench:oidc`: Guildhall (next start, production build, on a fresh
// Postgres database) and oidc-provider 9 (scripts/bench-oidc-peer.ts, memory
// adapter, configured alike) side by side on discovery, JWKS, a
// client_credentials token and userinfo. Each server runs in its own process;
// the load comes from autocannon in this one, whose client costs ~15-25 us of
// CPU per request: at 40,000 req/s and more that is most of a core, so on
// this 2-core machine the generator then limits the cheaper server too. For
// that reason each case also prints the server process's own CPU time per
// request (from /proc), which the generator does not cap, and beside it the
// CPU all PostgreSQL processes spent meanwhile (Guildhall's database; the
// peer has none, so on its side that figure is whatever else ran). Each case runs
// WARMUP_SECONDS of the same load first, discarded. Prints requests/s and p99
// per case, the ratio Guildhall/peer and the load averages (the machine is
// shared); the last line is one JSON document. OIDC_FAST_LANE=0 measures
// Guildhall without its protocol fast lane. The portal is rebuilt first when
// its sources are newer than the build, as `npm start` does.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import readline from "node:readline";
import autocannon from "autocannon";
import { createDatabase, databaseUrl, dropDatabase } from "../tests/support/postgres-admin";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";
import { defined } from "../tests/support/defined";
import { postgresCpuSeconds, processTable, processTreeCpuSeconds } from "./bench-process-cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const GH_PORT = 3700 + (process.pid % 200);
const PEER_PORT = GH_PORT + 1;
const DB_NAME = `gh_bench_${Date.now().toString(36)}`;
const MASTER_KEY = Buffer.alloc(32, 5).toString("base64");

type Target = { path: string; method: "GET" | "POST"; headers?: Record<string, string>; body?: string };
type Result = {
  rps: number;
  p99Ms: number;
  requests: number;
  errors: number;
  cpuUsPerRequest: number;
  databaseCpuUsPerRequest: number;
};

function dbUrl(): string {
  return databaseUrl(DB_NAME);
}

async function waitFor(url: string, timeoutMs = 60_000) {
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

/**
 * Closed-loop load from autocannon: CONCURRENCY keep-alive connections, each
 * sending its next request when the last answered. Its HTTP client costs a
 * fraction of node:http's, so on this 2-core machine the servers, not the
 * generator, are what is measured.
 */
async function load(port: number, pid: number, t: Target, seconds: number): Promise<Result> {
  const before = processTable();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${t.path}`,
    connections: CONCURRENCY,
    duration: seconds,
    method: t.method,
    headers: { host: `localhost:${port}`, ...t.headers },
    body: t.body,
  });
  const requests = r.requests.total;
  const perRequest = (seconds: number) => Math.max(0, Math.round((seconds * 1e6) / Math.max(requests, 1)));
  const after = processTable();
  const cpuUsPerRequest = perRequest(processTreeCpuSeconds(after, pid) - processTreeCpuSeconds(before, pid));
  const databaseCpuUsPerRequest = perRequest(postgresCpuSeconds(after) - postgresCpuSeconds(before));
  return {
    rps: Math.round(requests / r.duration),
    p99Ms: r.latency.p99,
    requests,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuUsPerRequest,
    databaseCpuUsPerRequest,
  };
}

async function startGuildhall(): Promise<ChildProcess> {
  ensurePortalBuild();
  const child = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", String(GH_PORT), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: dbUrl(),
      PUBLIC_URL: `http://localhost:${GH_PORT}`,
      AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
      MASTER_KEY,
      SEED_DEMO: "0",
      LOG_LEVEL: "warn",
      PAYMENTS_PROVIDER: "simulated",
    },
  });
  await waitFor(`http://127.0.0.1:${GH_PORT}/api/health`);
  return child;
}

async function startPeer(): Promise<{
  child: ChildProcess;
  info: { port: number; clientId: string; clientSecret: string; userinfoToken: string };
}> {
  const child = spawn(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "scripts/bench-oidc-peer.ts", String(PEER_PORT)],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: defined(child.stdout) }).once("line", resolve);
    child.once("exit", () => reject(new Error("peer exited")));
  });
  return { child, info: JSON.parse(line) };
}

/** A client_credentials client and a user's userinfo token on Guildhall, made through its own domain functions. */
async function guildhallFixtures() {
  Object.assign(process.env, {
    DATABASE_URL: dbUrl(),
    PUBLIC_URL: `http://localhost:${GH_PORT}`,
    MASTER_KEY,
    AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
    LOG_LEVEL: "silent",
    SEED_DEMO: "0",
  });
  const { db } = await import("../lib/db/client");
  const { newId } = await import("../lib/ids");
  const { createClientFromCli } = await import("../lib/oidc/clients/create-client-from-cli");
  const { recordConsent } = await import("../lib/oidc/grants/record-consent");
  const { issueAccessToken } = await import("../lib/oidc/tokens/issue-access-token");
  const cc = await createClientFromCli({
    name: "bench cc",
    redirectUris: [],
    grants: ["client_credentials"],
    scopes: ["tickets:write"],
    postLogoutRedirectUris: [],
  });
  const web = await createClientFromCli({
    name: "bench web",
    redirectUris: ["http://localhost:5555/cb"],
    grants: [],
    scopes: [],
    postLogoutRedirectUris: [],
  });
  const user = await db().user.create({
    data: { id: newId("usr"), email: "bench@example.test", name: "Bench", emailVerifiedAt: new Date() },
  });
  const grant = await db().$transaction((tx) =>
    recordConsent(tx, { userId: user.id, clientId: web.client.id, scopes: ["openid", "email"] }),
  );
  const at = await issueAccessToken({
    clientId: web.client.id,
    sub: user.id,
    userId: user.id,
    scopes: ["openid", "email"],
    grantId: grant.id,
    authTime: new Date(),
    authMethod: "passkey",
  });
  return {
    clientId: cc.client.id,
    clientSecret: defined(cc.secret),
    userinfoToken: at.token,
    close: async () => (await import("../lib/db/close-db")).closeDb(),
  };
}

/** The 1, 5 and 15 minute load averages: this machine is shared, so every figure comes with them. */
function loadAverage(): number[] {
  return os.loadavg().map((l) => Number(l.toFixed(2)));
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

type Paths = { jwks: string; token: string; userinfo: string };

function cases(
  c: { clientId: string; clientSecret: string; userinfoToken: string },
  paths: Paths,
): Record<string, Target> {
  const form = "grant_type=client_credentials&scope=tickets%3Awrite";
  return {
    discovery: { path: "/.well-known/openid-configuration", method: "GET" },
    jwks: { path: paths.jwks, method: "GET" },
    token_client_credentials: {
      path: paths.token,
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: basic(c.clientId, c.clientSecret),
      },
      body: form,
    },
    userinfo: { path: paths.userinfo, method: "GET", headers: { authorization: `Bearer ${c.userinfoToken}` } },
  };
}

async function main() {
  await createDatabase(DB_NAME);
  let gh: ChildProcess | undefined;
  let peer: ChildProcess | undefined;
  try {
    gh = await startGuildhall();
    const ghFixtures = await guildhallFixtures();
    const started = await startPeer();
    peer = started.child;
    const ghCases = cases(ghFixtures, { jwks: "/oidc/jwks", token: "/oidc/token", userinfo: "/oidc/userinfo" });
    const peerCases = cases(started.info, { jwks: "/jwks", token: "/token", userinfo: "/me" });
    const summary: Record<string, { guildhall: Result; peer: Result; ratio: number; cpuRatio: number }> = {};
    const loadBefore = loadAverage();
    console.log(
      `OIDC benchmark: ${SECONDS} s per case after ${WARMUP_SECONDS} s of warm-up, ${CONCURRENCY} connections (autocannon), Guildhall on Postgres (fast lane ${process.env.OIDC_FAST_LANE === "0" ? "off" : "on"}) vs oidc-provider 9 (memory adapter)`,
    );
    console.log(`load average before: ${loadBefore.join(" ")}`);
    for (const name of Object.keys(ghCases)) {
      // The same load, discarded first, so neither side is measured compiling, filling caches or opening connections.
      await load(GH_PORT, defined(gh.pid), ghCases[name], WARMUP_SECONDS);
      const guildhall = await load(GH_PORT, defined(gh.pid), ghCases[name], SECONDS);
      await load(started.info.port, defined(peer.pid), peerCases[name], WARMUP_SECONDS);
      const peerResult = await load(started.info.port, defined(peer.pid), peerCases[name], SECONDS);
      const ratio = Number((guildhall.rps / Math.max(peerResult.rps, 1)).toFixed(2));
      // How many of Guildhall's requests the server CPU of one peer request pays for, Guildhall's database included: above 1, Guildhall is cheaper.
      const cpuRatio = Number(
        (
          peerResult.cpuUsPerRequest / Math.max(guildhall.cpuUsPerRequest + guildhall.databaseCpuUsPerRequest, 1)
        ).toFixed(2),
      );
      summary[name] = { guildhall, peer: peerResult, ratio, cpuRatio };
      const side = (r: Result) =>
        `${String(r.rps).padStart(6)} req/s p99 ${String(r.p99Ms).padStart(4)} ms ${String(r.cpuUsPerRequest).padStart(5)} us CPU/req + ${String(r.databaseCpuUsPerRequest).padStart(3)} us in Postgres (${r.errors} errors)`;
      console.log(
        `${name.padEnd(26)} guildhall ${side(guildhall)} | peer ${side(peerResult)} | ratio ${ratio} (CPU per request, database included: peer/guildhall ${cpuRatio})`,
      );
    }
    await ghFixtures.close();
    const loadAfter = loadAverage();
    console.log(`load average after: ${loadAfter.join(" ")}`);
    console.log(
      JSON.stringify({
        bench: "oidc",
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        concurrency: CONCURRENCY,
        fastLane: process.env.OIDC_FAST_LANE !== "0",
        loadAverage: { before: loadBefore, after: loadAfter },
        cases: summary,
      }),
    );
  } finally {
    gh?.kill("SIGTERM");
    peer?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase(DB_NAME).catch(() => {});
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
