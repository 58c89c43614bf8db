import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName, withAdmin } from "../support/postgres-admin";

/**
 * `npm run test:checkout-faults`: checkout completion, refunds and host usage reports under kill -9 and dropped database
 * connections, two processes on one Postgres database each time.
 * - Checkouts: payer A is killed with SIGKILL after every fourth charge, between the charge and the
 *   order-paid transaction, and restarted on the orders it has not tried; payer B pays four at a time while
 *   the database drops one of its connections every 700 ms. Every order whose money was taken is paid, once,
 *   with its sale in the ledger; no order is paid without a charge.
 * - Refunds: two finance processes refund the same orders at once, together asking for well over what was
 *   paid; refunder A is killed after every fourth refund at the provider (before it is recorded), refunder B
 *   loses connections. The provider never refunds more than an order's amount, and after the sweep the
 *   ledger knows every refund the provider made, once.
 * - Usage reports: two processes report host usage for two hosts and three closed months, overlapping on every
 *   host/month, with an open month, a month out of the window and units over the bound among them; reporter A
 *   is killed as it starts every fourth report, reporter B loses connections. Every acknowledged report
 *   committed; each host/month has one row holding the last report that committed (in audit order); no refused
 *   report left a row or a figure; getHostWeights weighs a sale of the month after by those units (equal
 *   shares after a month nobody could report).
 * After the first two, the payments sweep runs as an operator would run it (`payments reconcile-orders --all`, its
 * own process).
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
  return runChild("tests/faults/support/pay-simulated-orders.ts", ids, name, extraEnv);
}

/** Runs a script of tests/faults/support as its own process on the lines given, named for pg_stat_activity. */
function runChild(script: string, lines: string[], name: string, extraEnv: Record<string, string>): Promise<Run> {
  const file = path.join(workDir, `${name}-${Date.now()}.txt`);
  fs.writeFileSync(file, lines.join("\n"));
  const url = new URL(dbUrl);
  url.searchParams.set("application_name", name);
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, file], {
    env: childEnv({ DATABASE_URL: url.toString(), ...extraEnv }),
    stdio: ["ignore", "pipe", "pipe"],
  });
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
function payerWithDroppedConnections(ids: string[]): Promise<{ run: Run; drops: number }> {
  return withConnectionsCut("payer-b", () => runPayer(ids, "payer-b", { PAYERS: "4" }));
}

/** Runs `child` while one database connection of the application `name` is cut every 700 ms. */
async function withConnectionsCut(name: string, child: () => Promise<Run>): Promise<{ run: Run; drops: number }> {
  let drops = 0;
  let running = true;
  const cutter = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 700));
      const cut = await withAdmin((c) =>
        c.query(
          `SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM pg_stat_activity
           WHERE application_name = $2 AND datname = $1 ORDER BY random() LIMIT 1) one`,
          [dbName, name],
        ),
      );
      drops += cut.rowCount ?? 0;
    }
  })();
  const run = await child();
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

/** Refunder A: killed after every fourth refund at the provider, restarted on the refunds it never tried. */
async function refunderKilledAgainAndAgain(lines: string[], env: Record<string, string>): Promise<number> {
  let left = lines;
  let kills = 0;
  while (left.length > 0) {
    const run = await runChild("tests/faults/support/refund-orders.ts", left, "refunder-a", {
      ...env,
      REFUNDERS: "3",
      GUILDHALL_CRASH_AFTER_REFUNDS: "4",
    });
    if (run.signal === "SIGKILL") kills += 1;
    else expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const tried = new Set(run.attempted);
    left = left.filter((line) => !tried.has(line.split(" ")[2]));
  }
  return kills;
}

it("never refunds more than was paid, and loses no refund, when two processes refund at once under kill -9 and dropped connections", async () => {
  const { db } = await import("@/lib/db/client");
  const { createCheckout } = await import("@/lib/payments/create-checkout");
  const { completeSimulatedCheckout } = await import("@/lib/payments/complete-simulated-checkout");
  const { checkLedger } = await import("@/lib/ledger/check-ledger");
  const { seedPaymentsWorld, ticketCheckoutInput } = await import("../support/payments-factories");
  const w = await seedPaymentsWorld();
  const orders: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
    orders.push(checkoutId);
  }
  // Each 5,000 order: refunder A asks for 6,000 of it in three refunds, refunder B for 6,500.
  const asks = (who: string, amounts: number[]) =>
    orders.flatMap((id) => amounts.map((a, i) => `${id} ${a} ${who}-${id}-${i}`));
  const env = { FINANCE_USER_ID: w.finance1.id };
  const [kills, b] = await Promise.all([
    refunderKilledAgainAndAgain(asks("a", [1500, 2000, 2500]), env),
    withConnectionsCut("refunder-b", () =>
      runChild("tests/faults/support/refund-orders.ts", asks("b", [1000, 2500, 3000]), "refunder-b", {
        ...env,
        REFUNDERS: "3",
      }),
    ),
  ]);
  expect(kills).toBeGreaterThan(0);
  expect(b.run.code, b.run.stderr.slice(-2000)).toBe(0);

  const atProvider = async (orderId: string) => {
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } });
    const refunds = await db().simulatedProviderObject.findMany({
      where: { kind: "refund", sourceRef: order.providerPaymentRef },
    });
    return { order, refundedAtProvider: refunds.reduce((s, r) => s + Number(r.amountMinor), 0) };
  };
  // The kills stranded refunds the provider made and the ledger does not know yet: held, never exceeded.
  let strandedBefore = 0;
  for (const id of orders) {
    const { order, refundedAtProvider } = await atProvider(id);
    expect(refundedAtProvider).toBeLessThanOrEqual(Number(order.amountMinor));
    strandedBefore += refundedAtProvider - Number(order.refundedMinor);
  }
  expect(strandedBefore).toBeGreaterThan(0);
  console.log(`refunder A killed ${kills} times; refunder B: ${b.drops} connections cut; ${strandedBefore} stranded`);

  const sweep = await runSweep();
  expect(sweep.code, sweep.stdout).toBe(0);
  for (const id of orders) {
    const { order, refundedAtProvider } = await atProvider(id);
    expect(Number(order.refundedMinor), `order ${id}`).toBe(refundedAtProvider);
    expect(refundedAtProvider).toBeLessThanOrEqual(Number(order.amountMinor));
  }
  expect(await db().refundRequest.count({ where: { orderId: { in: orders }, status: "reserved" } })).toBe(0);
  expect((await checkLedger()).ok).toBe(true);
});

/** Reporter A: killed as it starts every fourth report, restarted on the reports it never tried. */
async function reporterKilledAgainAndAgain(lines: string[]): Promise<{ kills: number; outcomes: string }> {
  let left = lines;
  let kills = 0;
  let outcomes = "";
  while (left.length > 0) {
    const run = await runChild("tests/faults/support/report-usage.ts", left, "reporter-a", {
      REPORTERS: "3",
      GUILDHALL_CRASH_AFTER_REPORTS: "4",
    });
    if (run.signal === "SIGKILL") kills += 1;
    else expect(run.code, run.stderr.slice(-2000)).toBe(0);
    outcomes += run.stdout;
    const tried = new Set(run.attempted);
    left = left.filter((line) => !tried.has(line.split(" ")[3]));
  }
  return { kills, outcomes };
}

it("stores each host's month as its last committed report, and refuses open or out-of-bounds months, when two processes report usage under kill -9 and dropped connections", async () => {
  const { db } = await import("@/lib/db/client");
  const { getHostWeights } = await import("@/lib/splits/get-host-weights");
  const { limits } = await import("@/lib/config/limits");
  const { usagePeriodOf, usagePeriodShifted } = await import("@/lib/splits/usage-period");
  const { seedPaymentsWorld } = await import("../support/payments-factories");
  const w = await seedPaymentsWorld();
  const now = new Date();
  const hosts = [w.hostA.org.id, w.hostB.org.id];
  await db().organization.updateMany({
    where: { id: { in: hosts } },
    data: { createdAt: new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)) },
  });
  const months = [-3, -2, -1].map((m) => usagePeriodShifted(now, m));
  // Every report's units are its own, so a stored figure names the report it came from.
  const reports = (who: string, base: number) => [
    ...hosts.flatMap((h, hi) =>
      months.flatMap((p, pi) =>
        [0, 1, 2].map((i) => `${h} ${p} ${base + hi * 100 + pi * 10 + i} ${who}-${hi}-${pi}-${i}`),
      ),
    ),
    `${hosts[0]} ${usagePeriodOf(now)} 7 ${who}-open`,
    `${hosts[1]} ${usagePeriodShifted(now, -13)} 7 ${who}-too-old`,
    `${hosts[0]} ${months[2]} ${limits.hostUsage.maxUnitsPerPeriod + 1} ${who}-too-many`,
  ];
  const mustBeRefused = { open: "PERIOD_NOT_CLOSED", "too-old": "PERIOD_TOO_OLD", "too-many": "ZodError" };
  const [a, b] = await Promise.all([
    reporterKilledAgainAndAgain(reports("a", 1000)),
    withConnectionsCut("reporter-b", () =>
      runChild("tests/faults/support/report-usage.ts", reports("b", 2000), "reporter-b", {
        REPORTERS: "3",
        REPORT_PAUSE_MS: "250",
      }),
    ),
  ]);
  expect(a.kills).toBeGreaterThan(0);
  expect(b.drops).toBeGreaterThan(0);
  expect(b.run.code, b.run.stderr.slice(-2000)).toBe(0);
  const seen = a.outcomes + b.run.stdout;
  const acknowledged = [...seen.matchAll(/^reported (\S+) (\d+)$/gm)].map((m) => Number(m[2]));
  const refused = new Map([...seen.matchAll(/^refused (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  for (const [key, reason] of Object.entries(mustBeRefused)) {
    expect(refused.get(`b-${key}`)).toBe(reason);
    if (refused.has(`a-${key}`)) expect(refused.get(`a-${key}`)).toBe(reason);
  }
  console.log(
    `reporter A killed ${a.kills} times; reporter B: ${b.drops} connections cut; ${acknowledged.length} acknowledged, ${refused.size} refused`,
  );
  expect(acknowledged.length).toBeGreaterThan(8);

  // The reports that committed, in the order they took the host/month's row (the audit event is written under it).
  const events = await db().auditEvent.findMany({
    where: { action: "host_usage.reported", subjectId: { in: hosts } },
    orderBy: { queued: "asc" },
  });
  const committed = events.map((e) => ({ host: e.subjectId, ...(e.data as { period: string; units: number }) }));
  const accepted = new Map(committed.map((c) => [`${c.host} ${c.period}`, c.units]));
  const committedUnits = new Set(committed.map((c) => c.units));
  expect(acknowledged.filter((u) => !committedUnits.has(u))).toEqual([]);
  const stored = await db().hostUsageReport.findMany({ where: { hostOrgId: { in: hosts } } });
  // One row per host/month, holding the last report that committed; no refused report left a row or a figure.
  expect(new Map(stored.map((r) => [`${r.hostOrgId} ${r.period}`, r.units]))).toEqual(accepted);
  expect(stored).toHaveLength(hosts.length * months.length);
  expect(committed.filter((c) => !months.includes(c.period) || c.units === 7 || c.units > 3000)).toEqual([]);

  // A sale in the month after each: weighted by the accepted units; in the month after the open one, equal shares.
  const active = await db().organization.findMany({
    where: { kind: "HOST", status: "ACTIVE" },
    orderBy: { id: "asc" },
  });
  for (const period of [...months, usagePeriodOf(now)]) {
    const [y, m] = period.split("-").map(Number);
    const paidAt = new Date(Date.UTC(y, m, 15));
    const weights = await db().$transaction((tx) => getHostWeights(tx, "usage", paidAt));
    const units = active.map((h) => accepted.get(`${h.id} ${period}`) ?? 0);
    const expected = units.some((u) => u > 0) ? units : units.map(() => 1);
    expect(weights, period).toEqual(active.map((h, i) => ({ orgId: h.id, weight: expected[i] })));
  }
});
