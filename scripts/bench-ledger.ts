/**
 * `npm run bench:ledger [-- --payments N --chunk 2000 --concurrency 2 --keep]`
 *
 * On a throwaway database on the Postgres server at 127.0.0.1:5432: records N
 * simulated ticket sales with their splits (orders, journal entries, postings,
 * through importPaidSales, the set-based recording path), then computes a
 * payout batch over all of them, approves it with two finance users, executes
 * it and posts every transfer (simulated provider). Prints payments per
 * second, the batch times and the peak memory of this process; the last line
 * is one JSON object. Targets: >= 5,000 payments/s; a batch over 1,000,000
 * payments in < 60 s within 512 MB. The batch runs in a process of its own
 * (this script with --batch-of DB), so its peak memory is its own and not what
 * recording left in this process's heap.
 */
import crypto from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createDatabase, databaseUrl, dropDatabase } from "../tests/support/postgres-admin";
import { defined } from "../tests/support/defined";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith("--") ? process.argv[i + 1] : fallback;
}
const N = Number(arg("payments", "200000"));
const CHUNK = Number(arg("chunk", "2000"));
const CONCURRENCY = Number(arg("concurrency", "2"));
const THEATERS = Number(arg("theaters", "50"));
const HOSTS = Number(arg("hosts", "3"));
const keep = process.argv.includes("--keep");
const dbName = `gh_bench_${Date.now().toString(36)}`;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function main() {
  process.env.DATABASE_URL = await createDatabase(dbName);
  process.env.DATA_DIR ??= `/tmp/${dbName}`;
  process.env.LOG_LEVEL = "warn";
  process.env.SEED_DEMO = "0";
  delete process.env.STRIPE_SECRET_KEY;
  try {
    await run();
  } finally {
    const { closeDb } = await import("@/lib/db/close-db");
    await closeDb();
    if (!keep) await dropDatabase(dbName);
    clearInterval(sampler);
  }
}

async function run() {
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  const { db } = await import("@/lib/db/client");
  const { newId } = await import("@/lib/ids");
  const { importPaidSales } = await import("@/lib/payments/import-paid-sales");
  const { simulatedFeeMinor } = await import("@/lib/payment-provider/simulated-fee");
  const { seedDefaultSplitPolicies } = await import("@/lib/splits/seed-default-split-policies");
  const { connectPayeeAccount } = await import("@/lib/payouts/connect-payee-account");
  await prepareDatabase();

  // The cast: theaters and hosts with payout accounts, two finance users, the default policies.
  const theaters: string[] = [];
  for (let i = 0; i < THEATERS; i++)
    theaters.push(
      (
        await db().organization.create({
          data: { id: newId("org"), slug: `bench-theater-${i}`, name: `Theater ${i}`, kind: "THEATER" },
        })
      ).id,
    );
  const hosts: string[] = [];
  for (let i = 0; i < HOSTS; i++)
    hosts.push(
      (
        await db().organization.create({
          data: { id: newId("org"), slug: `bench-host-${i}`, name: `Host ${i}`, kind: "HOST" },
        })
      ).id,
    );
  const finance: string[] = [];
  for (let i = 0; i < 2; i++) {
    const u = await db().user.create({ data: { id: newId("usr"), email: `finance${i}@bench.test` } });
    await db().userRole.create({ data: { userId: u.id, role: "FINANCE" } });
    finance.push(u.id);
  }
  await db().$transaction((tx) => seedDefaultSplitPolicies(tx));
  const system = { type: "system" as const, id: "bench" };
  for (const id of theaters)
    await connectPayeeAccount({ actor: system, kind: "theater_payable", orgId: id, returnPath: "/" });
  for (const id of hosts)
    await connectPayeeAccount({ actor: system, kind: "host_payable", orgId: id, returnPath: "/" });
  await connectPayeeAccount({ actor: system, kind: "developers_fund", orgId: null, returnPath: "/" });

  // Recording: chunks of CHUNK sales per transaction, CONCURRENCY transactions in flight.
  console.log(`recording ${N} payments (chunks of ${CHUNK}, ${CONCURRENCY} in flight) into ${dbName}...`);
  const started = process.hrtime.bigint();
  let next = 0;
  let recorded = 0;
  let lastReport = Date.now();
  const paidAt = new Date();
  async function worker() {
    while (next < N) {
      const size = Math.min(CHUNK, N - next);
      next += size;
      const sales = Array.from({ length: size }, () => {
        const amountMinor = 500 + crypto.randomInt(20_000);
        return {
          theaterOrgId: theaters[crypto.randomInt(theaters.length)],
          description: "Bench seat",
          amountMinor,
          feeMinor: simulatedFeeMinor(amountMinor),
          paymentRef: `bench_${crypto.randomBytes(8).toString("hex")}`,
          paidAt,
          fulfilment: { kind: "ticket" as const, showId: "bench-show" },
        };
      });
      await db().$transaction(
        (tx) => importPaidSales(tx, { productKind: "TICKET_SALE", currency: "EUR", sales, actor: system }),
        {
          timeout: 120_000,
          maxWait: 60_000,
        },
      );
      recorded += size;
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        const s = Number(process.hrtime.bigint() - started) / 1e9;
        console.log(
          `  ${recorded} payments, ${Math.round(recorded / s)}/s, rss ${mb(process.memoryUsage().rss)} MB, heap ${mb(process.memoryUsage().heapUsed)} MB, external ${mb(process.memoryUsage().external + process.memoryUsage().arrayBuffers)} MB`,
        );
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const recordSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const paymentsPerSecond = Math.round(N / recordSeconds);
  const postings = Number(
    (await db().$queryRawUnsafe<{ n: string }[]>(`SELECT count(*)::text AS n FROM "LedgerPosting"`))[0].n,
  );
  console.log(
    `recorded ${N} payments with ${postings} postings in ${recordSeconds.toFixed(1)} s: ${paymentsPerSecond} payments/s`,
  );

  const batchResult = await runBatchInChild();
  console.log(
    `batch ${batchResult.batchId}: ${batchResult.batchItems} payees, computed in ${batchResult.batchComputeSeconds} s, approved+executed+posted (${batchResult.transfers} transfers) in ${batchResult.batchSeconds} s total, status ${batchResult.batchStatus}, peak RSS ${batchResult.batchPeakRssMb} MB`,
  );
  console.log(`peak RSS while recording: ${mb(peakRss)} MB (this process; the database server is separate)`);
  console.log(
    JSON.stringify({
      payments: N,
      postings,
      recordSeconds: Number(recordSeconds.toFixed(2)),
      paymentsPerSecond,
      batchComputeSeconds: batchResult.batchComputeSeconds,
      batchSeconds: batchResult.batchSeconds,
      batchItems: batchResult.batchItems,
      batchStatus: batchResult.batchStatus,
      batchPeakRssMb: batchResult.batchPeakRssMb,
      recordPeakRssMb: mb(peakRss),
    }),
  );
}

async function runBatchInChild(): Promise<{
  batchId: string;
  batchItems: number;
  batchStatus: string;
  transfers: number;
  batchComputeSeconds: number;
  batchSeconds: number;
  batchPeakRssMb: number;
}> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/bench-ledger.ts", "--batch-of", dbName],
    { env: process.env, maxBuffer: 10_000_000 },
  );
  return JSON.parse(defined(stdout.trim().split("\n").pop()));
}

/** The batch phase alone, in a fresh process: compute, approve twice, execute, post every transfer. */
async function batchOnly(name: string) {
  process.env.DATABASE_URL = databaseUrl(name);
  process.env.LOG_LEVEL = "warn";
  const { db } = await import("@/lib/db/client");
  const { closeDb } = await import("@/lib/db/close-db");
  const { createPayoutBatch } = await import("@/lib/payouts/create-payout-batch");
  const { approvePayoutBatch } = await import("@/lib/payouts/approve-payout-batch");
  const { executePayoutBatch } = await import("@/lib/payouts/execute-payout-batch");
  const { runPayoutTransfers } = await import("@/lib/payouts/run-payout-transfers");
  const finance = (await db().userRole.findMany({ where: { role: "FINANCE" }, orderBy: { userId: "asc" } })).map(
    (r) => r.userId,
  );
  const t0 = process.hrtime.bigint();
  const batch = await createPayoutBatch({ actor: { type: "user", id: finance[0] }, currency: "EUR" });
  const t1 = process.hrtime.bigint();
  await approvePayoutBatch({ actor: { type: "user", id: finance[0] }, batchId: batch.id });
  await approvePayoutBatch({ actor: { type: "user", id: finance[1] }, batchId: batch.id });
  await executePayoutBatch({ actor: { type: "user", id: finance[1] }, batchId: batch.id });
  await runPayoutTransfers();
  const t2 = process.hrtime.bigint();
  const done = await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
  const transfers = await db().payoutItem.count({ where: { batchId: batch.id, status: "posted" } });
  await closeDb();
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      batchId: batch.id,
      batchItems: done.itemCount,
      batchStatus: done.status,
      transfers,
      batchComputeSeconds: Number((Number(t1 - t0) / 1e9).toFixed(2)),
      batchSeconds: Number((Number(t2 - t0) / 1e9).toFixed(2)),
      batchPeakRssMb: mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024)),
    }),
  );
}

const batchOf = process.argv.indexOf("--batch-of");
(batchOf >= 0 ? batchOnly(process.argv[batchOf + 1]) : main()).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
