import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName, withAdmin } from "../support/postgres-admin";

/**
 * `npm run test:checkout-faults`: checkout completion under kill -9 and dropped database connections, two
 * payer processes on one Postgres database. Payer A is killed with SIGKILL after every fourth charge, between
 * the charge and the order-paid transaction, and restarted on the orders it has not tried; payer B pays
 * four at a time while the database drops one of its connections every 700 ms. Then the payments sweep runs as
 * an operator would run it (`payments reconcile-orders --all`, its own process). Every order whose money
 * was taken is paid, once, with its sale in the ledger; no order is paid without a charge.
 */
const ORDERS_PER_PAYER = 20;
let dbName: string;
let dbUrl: string;
let workDir: string;

const childEnv = (extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: dbUrl,
  PUBLIC_URL: "http://localhost:3998",
  AUTH_SECRET: "checkout-faults-auth-secret-0123456789abcdef",
  MASTER_KEY: Buffer.alloc(32, 13).toString("base64"),
  SEED_DEMO: "0",
  LOG_LEVEL: "silent",
  DATA_DIR: workDir,
  ...extra,
});

beforeAll(async () => {
  dbName = throwawayName("gh_checkout_faults");
  dbUrl = await createDatabase(dbName);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-checkout-faults-"));
  Object.assign(process.env, childEnv({}));
  const { resetEnvForTests } = await import("@/lib/config/env");
  resetEnvForTests();
  const { installComposition } = await import("@/lib/composition/composition");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  installComposition(portalComposition);
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/close-db");
  await closeDb();
  await dropDatabase(dbName);
  fs.rmSync(workDir, { recursive: true, force: true });
});

type Run = {
  code: number | null;
  signal: NodeJS.Signals | null;
  attempted: string[];
  stdout: string;
  stderr: string;
};

function runPayer(ids: string[], name: string, extraEnv: Record<string, string>): Promise<Run> {
  const file = path.join(workDir, `${name}-${Date.now()}.txt`);
  fs.writeFileSync(file, ids.join("\n"));
  const url = new URL(dbUrl);
  url.searchParams.set("application_name", name);
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/faults/support/pay-simulated-orders.ts", file],
    { env: childEnv({ DATABASE_URL: url.toString(), ...extraEnv }), stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const attempted = [...stdout.matchAll(/^attempt (\S+)$/gm)].map((m) => m[1]);
      resolve({ code, signal, attempted, stdout, stderr });
    }),
  );
}

/** Payer A: killed after every fourth charge, restarted on the orders it never tried. */
async function payerKilledAgainAndAgain(ids: string[]): Promise<number> {
  let left = ids;
  let kills = 0;
  while (left.length > 0) {
    const run = await runPayer(left, "payer-a", { GUILDHALL_CRASH_AFTER_CHARGES: "4" });
    if (run.signal === "SIGKILL") kills += 1;
    else expect(run.code, run.stdout).toBe(0);
    const tried = new Set(run.attempted);
    left = left.filter((id) => !tried.has(id));
  }
  return kills;
}

/** Payer B: four at a time, while one of its database connections is cut every 700 ms. */
async function payerWithDroppedConnections(ids: string[]): Promise<{ run: Run; drops: number }> {
  let drops = 0;
  let running = true;
  const cutter = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 700));
      const cut = await withAdmin((c) =>
        c.query(
          `SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM pg_stat_activity
           WHERE application_name = 'payer-b' AND datname = $1 ORDER BY random() LIMIT 1) one`,
          [dbName],
        ),
      );
      drops += cut.rowCount ?? 0;
    }
  })();
  const run = await runPayer(ids, "payer-b", { PAYERS: "4" });
  running = false;
  await cutter;
  return { run, drops };
}

function runSweep(): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "cli/main.ts", "payments", "reconcile-orders", "--all", "--json"],
    { env: childEnv({}), stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout })));
}

it("loses no paid order to kill -9 or dropped connections between the charge and the order-paid transaction", async () => {
  const { db } = await import("@/lib/db/client");
  const { createCheckout } = await import("@/lib/payments/create-checkout");
  const { checkLedger } = await import("@/lib/ledger/check-ledger");
  const { seedPaymentsWorld, ticketCheckoutInput } = await import("../support/payments-factories");
  const w = await seedPaymentsWorld();
  const ids: string[] = [];
  for (let i = 0; i < 2 * ORDERS_PER_PAYER; i++)
    ids.push((await createCheckout(ticketCheckoutInput(w.theater.org.id))).checkoutId);

  const [kills, b] = await Promise.all([
    payerKilledAgainAndAgain(ids.slice(0, ORDERS_PER_PAYER)),
    payerWithDroppedConnections(ids.slice(ORDERS_PER_PAYER)),
  ]);
  expect(kills).toBeGreaterThanOrEqual(ORDERS_PER_PAYER / 4 - 1);
  expect(b.drops).toBeGreaterThan(0);
  expect(b.run.code, b.run.stderr.slice(-2000)).toBe(0);
  const outcomes = (word: string) => (b.run.stdout.match(new RegExp(`^${word} `, "gm")) ?? []).length;
  console.log(
    `payer A killed ${kills} times; payer B: ${b.drops} connections cut, ${outcomes("paid")} paid, ${outcomes("failed")} failed`,
  );

  const charged = async () =>
    new Set(
      (await db().simulatedProviderObject.findMany({ where: { kind: "charge" }, select: { sourceRef: true } })).map(
        (c) => String(c.sourceRef),
      ),
    );
  const paid = async () =>
    new Set((await db().paymentOrder.findMany({ where: { status: "paid" }, select: { id: true } })).map((o) => o.id));
  const chargedBefore = await charged();
  const paidBefore = await paid();
  // The faults did strand money: charges whose order-paid transaction never committed.
  expect([...chargedBefore].filter((id) => !paidBefore.has(id)).length).toBeGreaterThan(0);

  const sweep = await runSweep();
  expect(sweep.code, sweep.stdout).toBe(0);

  const chargedAfter = await charged();
  const paidAfter = await paid();
  expect([...chargedAfter].filter((id) => !paidAfter.has(id))).toEqual([]);
  expect([...paidAfter].filter((id) => !chargedAfter.has(id))).toEqual([]);
  expect(await db().journalEntry.count({ where: { kind: "sale" } })).toBe(paidAfter.size);
  expect(outcomes("paid")).toBeGreaterThan(0);
  expect((await checkLedger()).ok).toBe(true);
});
