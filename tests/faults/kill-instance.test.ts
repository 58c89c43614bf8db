import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName } from "../support/postgres-admin";
import { startCluster, type Cluster } from "../deploy/support/cluster";
import { runPayoutBatch } from "../deploy/support/finance";
import { runLoad, summarize } from "../deploy/support/load";
import { seedFaultTestWorld } from "../deploy/support/payments-world";
import { runCli, verifyNothingLostOrDoubled } from "../deploy/support/verify-outcome";
import { useClusterDatabase } from "../deploy/support/world";

/**
 * `npm run test:instances`: two instances behind HAProxy on one database; a
 * bounded load of token requests, checkouts with payments and passkey
 * sign-ins runs through the balancer, a payout batch is executed, and one
 * instance is killed with SIGKILL as soon as the outbox leases the first
 * transfer. The survivor serves everything (every request from a few seconds
 * after the kill on succeeds), no acknowledged checkout or payment is lost,
 * nothing is doubled, every payee is paid once (a transfer the dead instance
 * held is redone after its lease runs out, under the same idempotency key),
 * the survivor integrates the whole log (whichever instance was integrating),
 * and `ledger check` and `audit verify` pass.
 */
const BALANCER_PORT = 4545;
let dbName: string;
let dbUrl: string;
let cluster: Cluster;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  dbName = throwawayName("gh_kill");
  dbUrl = await createDatabase(dbName);
  // Every sign-in comes from 127.0.0.1 through the balancer: the per-address limits are raised.
  cluster = await startCluster({
    databaseUrl: dbUrl,
    balancerPort: BALANCER_PORT,
    instancePorts: [4546, 4547],
    env: { RATE_LIMIT_FACTOR: "1000" },
  });
  ({ closeDb } = await useClusterDatabase(dbUrl, cluster.url));
});

afterAll(async () => {
  await closeDb?.();
  await cluster?.stop();
  await dropDatabase(dbName);
});

it("loses one instance to SIGKILL under load: the survivor serves everything, nothing is lost, doubled or paid twice", async () => {
  const { db } = await import("@/lib/db/client");
  const world = await seedFaultTestWorld("kill");
  const started = Date.now();
  const load = runLoad({
    url: cluster.url,
    client: world.client,
    theaterOrgId: world.theaterOrgId,
    signIns: world.signIns,
    workers: { tokens: 2, checkouts: 3, signIns: 1 },
    until: started + 25_000,
    retryUntil: started + 60_000,
  });

  // Some sales first, so that the batch has payees to pay.
  await new Promise((r) => setTimeout(r, 8000));
  const batch = await runPayoutBatch(cluster.url, world.finance);
  const leased = async () =>
    (await db().outboxJob.count({ where: { kind: "payout.transfer", lockedUntil: { not: null } } })) > 0;
  const leaseDeadline = Date.now() + 10_000;
  while (!(await leased()) && Date.now() < leaseDeadline) await new Promise((r) => setTimeout(r, 10));
  const victim = cluster.instances[0];
  victim.child.kill("SIGKILL");
  const killedAt = Date.now();
  await victim.exited;

  const result = await load;
  // The dead instance's leases run out after 60 s; the survivor then redoes those transfers.
  const batchDeadline = Date.now() + 120_000;
  while (
    (await db().payoutItem.count({ where: { batchId: batch.batchId, status: "pending" } })) > 0 &&
    Date.now() < batchDeadline
  )
    await new Promise((r) => setTimeout(r, 1000));

  const afterDetection = result.outcomes.filter((o) => o.at > killedAt + 5000);
  const failedLate = afterDetection.filter((o) => !o.ok);
  const verdict = await verifyNothingLostOrDoubled({
    clientId: world.client.id,
    acknowledged: result.acknowledged,
    unacknowledgedKeys: result.unacknowledged,
    batchId: batch.batchId,
  });
  const payoutItems = await db().payoutItem.count({ where: { batchId: batch.batchId } });
  const redone = await db().outboxJob.count({ where: { kind: "payout.transfer", attempts: { gt: 1 } } });
  // The log's integrator may have been the dead instance (its advisory lock dies with its connection):
  // the survivor takes over, sequences every audit event (counted whether sequenced yet or not) and integrates it
  // into a signed checkpoint.
  const logDeadline = Date.now() + 20_000;
  const logBehind = async () => {
    const [head] = await db().$queryRaw<{ events: bigint; integrated: bigint }[]>`
      SELECT (SELECT count(*) FROM "AuditEvent") AS events,
             coalesce((SELECT max("size") FROM "LogCheckpoint"), 0) AS integrated`;
    return Number(head.events - head.integrated);
  };
  while ((await logBehind()) > 0 && Date.now() < logDeadline) await new Promise((r) => setTimeout(r, 250));
  const logEntriesNotIntegrated = await logBehind();
  const ledger = runCli(dbUrl, cluster.url, ["ledger", "check"]);
  const audit = runCli(dbUrl, cluster.url, ["audit", "verify"]);
  console.log(
    JSON.stringify({
      test: "kill-instance",
      seconds: Math.round((Date.now() - started) / 1000),
      requests: summarize(result.outcomes),
      failedAroundKill: result.outcomes
        .filter((o) => !o.ok && o.at >= killedAt && o.at <= killedAt + 5000)
        .map((o) => `${o.kind} ${o.status}`),
      checkoutsAcknowledged: result.acknowledged.length,
      paymentsAcknowledged: result.acknowledged.filter((a) => a.paid).length,
      payoutItems,
      transfers: verdict.transfers,
      transfersRedoneAfterTheKill: redone,
      logEntriesNotIntegrated,
    }),
  );

  expect(failedLate.map((o) => `${o.kind} ${o.status}`)).toEqual([]);
  expect(afterDetection.length, "the load went on after the kill").toBeGreaterThan(20);
  expect(result.unacknowledged).toEqual([]);
  expect(result.acknowledged.length).toBeGreaterThan(10);
  expect(verdict.problems).toEqual([]);
  expect(payoutItems).toBeGreaterThan(0);
  expect(logEntriesNotIntegrated, "every audit event is in a signed checkpoint after the kill").toBe(0);
  expect(ledger.status, ledger.stdout + ledger.stderr).toBe(0);
  expect(audit.status, audit.stdout + audit.stderr).toBe(0);
});
