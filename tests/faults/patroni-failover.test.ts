import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCluster, type Cluster } from "../deploy/support/cluster";
import { runPayoutBatch } from "../deploy/support/finance";
import { recoveryMs, runLoad, summarize } from "../deploy/support/load";
import { startPatroniCluster, type PatroniCluster } from "../deploy/support/patroni";
import { seedFaultTestWorld } from "../deploy/support/payments-world";
import { runCli, verifyNothingLostOrDoubled } from "../deploy/support/verify-outcome";
import { useClusterDatabase } from "../deploy/support/world";
import { defined } from "../support/defined";

/**
 * `npm run test:ha`: Guildhall on a three-node Patroni cluster in synchronous
 * mode (deploy/patroni/patroni.yml), reached through HAProxy routing to the
 * leader by Patroni's REST checks (deploy/haproxy/patroni.cfg); two portal
 * instances behind their own HAProxy. While checkouts, payments, token
 * requests, sign-ins and a payout batch stream in, the leader's machine is
 * lost (its Patroni, PostgreSQL and every PostgreSQL child killed with
 * SIGKILL). Patroni promotes the synchronous standby; the portals, never
 * restarted, serve writes again within 15 s; every checkout and payment
 * acknowledged to a client is there afterwards, nothing is doubled, every
 * payee is paid once, and `ledger check` and `audit verify` pass. Prints the
 * measured recovery time.
 */
const PORTS = { etcdClient: 4601, etcdPeer: 4602, rest: [4611, 4612, 4613], pg: [4621, 4622, 4623], balancer: 4630 };
const RECOVERY_BOUND_MS = 15_000;
let patroni: PatroniCluster;
let cluster: Cluster;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  patroni = await startPatroniCluster(PORTS);
  const admin = new pg.Client({ connectionString: patroni.databaseUrl("postgres") });
  admin.on("error", () => {});
  await admin.connect();
  await admin.query("CREATE DATABASE guildhall");
  await admin.end();
  cluster = await startCluster({
    databaseUrl: patroni.databaseUrl("guildhall"),
    balancerPort: 4640,
    instancePorts: [4641, 4642],
    env: { RATE_LIMIT_FACTOR: "1000" },
  });
  ({ closeDb } = await useClusterDatabase(patroni.databaseUrl("guildhall"), cluster.url));
});

afterAll(async () => {
  await closeDb?.();
  await cluster?.stop();
  await patroni?.stop();
});

it("loses the database leader's machine under load: writes come back within 15 s, no acknowledged write is lost, nothing doubled", async () => {
  const { db } = await import("@/lib/db/client");
  const world = await seedFaultTestWorld("ha");
  const started = Date.now();
  const load = runLoad({
    url: cluster.url,
    client: world.client,
    theaterOrgId: world.theaterOrgId,
    signIns: world.signIns,
    workers: { tokens: 1, checkouts: 3, signIns: 1 },
    until: started + 40_000,
    retryUntil: started + 90_000,
  });

  await new Promise((r) => setTimeout(r, 8000));
  const batch = await runPayoutBatch(cluster.url, world.finance);
  const leader = await patroni.leader();
  expect(leader).toBeDefined();
  patroni.killNode(defined(leader));
  const killedAt = Date.now();

  const result = await load;
  const recovery = recoveryMs(result.outcomes, killedAt);
  // Transfers interrupted by the failover are retried by the outbox with backoff.
  const batchDeadline = Date.now() + 120_000;
  const pending = () =>
    db()
      .payoutItem.count({ where: { batchId: batch.batchId, status: "pending" } })
      .catch(() => 1);
  while ((await pending()) > 0 && Date.now() < batchDeadline) await new Promise((r) => setTimeout(r, 1000));

  const newLeader = await patroni.leader();
  const verdict = await verifyNothingLostOrDoubled({
    clientId: world.client.id,
    acknowledged: result.acknowledged,
    unacknowledgedKeys: result.unacknowledged,
    batchId: batch.batchId,
  });
  const ledger = runCli(patroni.databaseUrl("guildhall"), cluster.url, ["ledger", "check"]);
  const audit = runCli(patroni.databaseUrl("guildhall"), cluster.url, ["audit", "verify"]);
  const failedWrites = result.outcomes.filter((o) => !o.ok && (o.kind === "checkout" || o.kind === "payment"));
  console.log(
    JSON.stringify({
      test: "patroni-failover",
      killedLeader: defined(leader).name,
      newLeader: newLeader?.name,
      recoveryMs: recovery,
      requests: summarize(result.outcomes),
      failedWritesRetried: failedWrites.length,
      failedWriteAnswers: [...new Set(failedWrites.map((o) => String(o.status)))],
      checkoutsAcknowledged: result.acknowledged.length,
      paymentsAcknowledged: result.acknowledged.filter((a) => a.paid).length,
      acknowledgedWritesLost: verdict.problems.filter((p) => /missing|is open|is expired/.test(p)).length,
      transfers: verdict.transfers,
    }),
  );

  expect(newLeader && newLeader.name !== defined(leader).name).toBe(true);
  expect(recovery, "writes were served again").toBeDefined();
  expect(defined(recovery)).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
  expect(
    cluster.instances.map((i) => i.child.exitCode),
    "no portal instance crashed or was restarted",
  ).toEqual([null, null]);
  expect(result.unacknowledged).toEqual([]);
  expect(verdict.problems).toEqual([]);
  expect(ledger.status, ledger.stdout + ledger.stderr).toBe(0);
  expect(audit.status, audit.stdout + audit.stderr).toBe(0);
});
