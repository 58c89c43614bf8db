// `npm run bench:scale`: does a second portal instance add capacity, and how
// long do writes stop when the database's leader is lost?
// 1. Throughput: two standalone instances on one PostgreSQL database (the
//    machine's, a throwaway database), each measured through HAProxy
//    (deploy/haproxy/haproxy.cfg): once with one instance behind it, once
//    with both, on client_credentials token requests and on checkouts (each
//    with its own Idempotency-Key). Load from autocannon in this process,
//    WARMUP_SECONDS discarded first. Target: two >= 0.9 x one (on this
//    2-core machine the instances, PostgreSQL, HAProxy and the load
//    generator share the same cores, so "coordination costs little" is what
//    is measured, not a doubling).
// 2. Failover (as root, with Debian's patroni, etcd-server and haproxy): the
//    three-node Patroni cluster of `npm run test:ha`, two instances, a load of
//    checkouts and payments, the leader's machine killed; prints the time
//    until writes were served again (target <= 15 s) and the acknowledged
//    writes lost (target 0). BENCH_FAILOVER=0 skips this part.
// The last line is one JSON document.
import fs from "node:fs";
import os from "node:os";
import autocannon, { type Options as AutocannonOptions, type Request as AutocannonRequest } from "autocannon";
import { createDatabase, dropDatabase, throwawayName } from "../tests/support/postgres-admin";
import { haproxyConfig, startBalancer, type Balancer } from "../tests/deploy/support/haproxy";
import {
  startStandalone,
  stopServer,
  waitForStatus,
  type StartedServer,
} from "../tests/deploy/support/standalone-server";
import { startCluster } from "../tests/deploy/support/cluster";
import { startPatroniCluster } from "../tests/deploy/support/patroni";
import { openCheckout, requestToken, basicAuth } from "../tests/deploy/support/portal-client";
import { recoveryMs, runLoad, summarize } from "../tests/deploy/support/load";
import { seedFaultTestWorld } from "../tests/deploy/support/payments-world";
import { verifyNothingLostOrDoubled } from "../tests/deploy/support/verify-outcome";
import { seedApiClient, useClusterDatabase } from "../tests/deploy/support/world";
import { ensurePortalBuild } from "./ensure-portal-build.mjs";
import { defined } from "../tests/support/defined";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

type Measured = { rps: number; p99Ms: number; errors: number; statuses: Record<string, number> };

async function measure(
  url: string,
  requests: NonNullable<AutocannonOptions["requests"]>,
  seconds: number,
): Promise<Measured> {
  const statuses: Record<string, number> = {};
  const count = (status: number) => void (statuses[status] = (statuses[status] ?? 0) + 1);
  const r = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: seconds,
    requests: requests.map((q) => ({ ...q, onResponse: count })),
  });
  // Only answers that did the work count: a balancer's fast 503 is not throughput.
  const served = Object.entries(statuses)
    .filter(([status]) => status.startsWith("2"))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    rps: Math.round(served / r.duration),
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    statuses,
  };
}

async function throughput() {
  const dbName = throwawayName("gh_scale");
  const dbUrl = await createDatabase(dbName);
  const ports = { one: 4655, two: 4656, instances: [4650, 4651] };
  const publicUrl = `http://localhost:${ports.two}`;
  let instances: StartedServer[] = [];
  const balancers: Balancer[] = [];
  try {
    instances = ports.instances.map((port) =>
      startStandalone(port, { DATABASE_URL: dbUrl, PUBLIC_URL: publicUrl, TRUST_PROXY_HOPS: "1", LOG_LEVEL: "warn" }),
    );
    await Promise.all(instances.map((i) => waitForStatus(`${i.url}/api/health/ready`, 200, 120_000, i)));
    const servers = instances.map((i, n) => ({ name: `portal${n + 1}`, port: i.port }));
    balancers.push(await startBalancer(haproxyConfig({ port: ports.one, servers: servers.slice(0, 1) }), ports.one));
    balancers.push(await startBalancer(haproxyConfig({ port: ports.two, servers }), ports.two));
    const { closeDb } = await useClusterDatabase(dbUrl, publicUrl);
    const { seedPaymentsWorld } = await import("../tests/support/payments-factories");
    const world = await seedPaymentsWorld();
    const client = await seedApiClient("bench scale");
    await closeDb();
    const token = (
      (await (await requestToken(`http://127.0.0.1:${ports.two}`, client)).json()) as { access_token: string }
    ).access_token;
    const probe = await openCheckout(
      `http://127.0.0.1:${ports.two}`,
      token,
      `probe-${Date.now()}`,
      world.theater.org.id,
    );
    if (probe.status !== 201) throw new Error(`checkout probe: ${probe.status} ${await probe.text()}`);
    let n = 0;
    const cases: Record<string, NonNullable<AutocannonOptions["requests"]>> = {
      token: [
        {
          method: "POST",
          path: "/oidc/token",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: basicAuth(client.id, client.secret),
          },
          body: "grant_type=client_credentials&scope=tickets%3Awrite",
        },
      ],
      checkout: [
        {
          method: "POST",
          path: "/api/v1/checkouts",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({
            theaterOrgId: world.theater.org.id,
            showId: "show-1",
            description: "Bench, 2 seats",
            currency: "EUR",
            lineItems: [{ name: "Seat", quantity: 2, unitAmountMinor: 2500 }],
          }),
          setupRequest: (req: AutocannonRequest) => ({
            ...req,
            headers: { ...req.headers, "idempotency-key": `bench-${process.pid}-${n++}` },
          }),
        },
      ],
    };
    const results: Record<string, { one: Measured; two: Measured; ratio: number }> = {};
    for (const [name, requests] of Object.entries(cases)) {
      const url = (port: number) => `http://127.0.0.1:${port}`;
      await measure(url(ports.one), requests, WARMUP_SECONDS);
      const one = await measure(url(ports.one), requests, SECONDS);
      await measure(url(ports.two), requests, WARMUP_SECONDS);
      const two = await measure(url(ports.two), requests, SECONDS);
      const ratio = Number((two.rps / Math.max(one.rps, 1)).toFixed(2));
      results[name] = { one, two, ratio };
      const side = (m: Measured) =>
        `${String(m.rps).padStart(6)} req/s p99 ${String(m.p99Ms).padStart(4)} ms (${m.errors} errors; statuses ${JSON.stringify(m.statuses)})`;
      console.log(`${name.padEnd(9)} one instance ${side(one)} | two instances ${side(two)} | ratio ${ratio}`);
    }
    return results;
  } finally {
    for (const b of balancers) await b.stop();
    await Promise.all(instances.map(stopServer));
    await dropDatabase(dbName).catch(() => {});
  }
}

async function failover() {
  if (process.getuid?.() !== 0) return { skipped: "needs root (PostgreSQL runs as the postgres user under Patroni)" };
  const patroni = await startPatroniCluster({
    etcdClient: 4601,
    etcdPeer: 4602,
    rest: [4611, 4612, 4613],
    pg: [4621, 4622, 4623],
    balancer: 4630,
  });
  try {
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: patroni.databaseUrl("postgres") });
    admin.on("error", () => {});
    await admin.connect();
    await admin.query("CREATE DATABASE guildhall");
    await admin.end();
    const cluster = await startCluster({
      databaseUrl: patroni.databaseUrl("guildhall"),
      balancerPort: 4640,
      instancePorts: [4641, 4642],
      env: { RATE_LIMIT_FACTOR: "1000" },
    });
    try {
      const { closeDb } = await useClusterDatabase(patroni.databaseUrl("guildhall"), cluster.url);
      const world = await seedFaultTestWorld("bench", 1);
      const started = Date.now();
      const load = runLoad({
        url: cluster.url,
        client: world.client,
        theaterOrgId: world.theaterOrgId,
        signIns: world.signIns,
        workers: { tokens: 0, checkouts: 3, signIns: 0 },
        until: started + 25_000,
        retryUntil: started + 60_000,
      });
      await new Promise((r) => setTimeout(r, 6000));
      const leader = await patroni.leader();
      patroni.killNode(defined(leader));
      const killedAt = Date.now();
      const result = await load;
      const verdict = await verifyNothingLostOrDoubled({
        clientId: world.client.id,
        acknowledged: result.acknowledged,
        unacknowledgedKeys: result.unacknowledged,
      });
      await closeDb();
      const figures = {
        recoveryMs: recoveryMs(result.outcomes, killedAt) ?? null,
        acknowledgedWritesLost:
          verdict.problems.filter((p) => /missing|is open|is expired/.test(p)).length + result.unacknowledged.length,
        otherProblems: verdict.problems.filter((p) => !/missing|is open|is expired/.test(p)),
        checkoutsAcknowledged: result.acknowledged.length,
        requests: summarize(result.outcomes),
      };
      console.log(
        `failover  writes served again after ${figures.recoveryMs} ms; acknowledged writes lost: ${figures.acknowledgedWritesLost} (of ${figures.checkoutsAcknowledged} checkouts and their payments)`,
      );
      return figures;
    } finally {
      await cluster.stop();
    }
  } finally {
    await patroni.stop();
  }
}

async function main() {
  ensurePortalBuild();
  if (!fs.existsSync(".next/standalone/cli.mjs"))
    throw new Error("run `node scripts/assemble-standalone.mjs` first (npm run bench:scale does)");
  const loadBefore = loadAverage();
  console.log(
    `scale benchmark: ${SECONDS} s per case after ${WARMUP_SECONDS} s of warm-up, ${CONCURRENCY} connections (autocannon) through HAProxy; load average before: ${loadBefore.join(" ")}`,
  );
  const cases = await throughput();
  const failoverFigures = process.env.BENCH_FAILOVER === "0" ? { skipped: "BENCH_FAILOVER=0" } : await failover();
  const loadAfter = loadAverage();
  console.log(`load average after: ${loadAfter.join(" ")}`);
  console.log(
    JSON.stringify({
      bench: "scale",
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      targets: { twoOverOneMin: 0.9, recoveryMsMax: 15_000, acknowledgedWritesLostMax: 0 },
      cases,
      failover: failoverFigures,
      loadAverage: { before: loadBefore, after: loadAfter },
    }),
  );
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
