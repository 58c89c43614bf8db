import { spawn } from "node:child_process";
import { describe, expect, it, onTestFinished } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { defined } from "../../support/defined";
import { bundledCli } from "../../support/bundled-cli";

const stripe = useStripeDouble();

async function sellThroughStripe(theaterOrgId: string, unitAmountMinor: number, currency = "EUR") {
  const { checkoutId } = await createCheckout(
    ticketCheckoutInput(theaterOrgId, { currency, lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor }] }),
  );
  const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
  const res = await stripe.deliver(
    stripe.double.event("checkout.session.completed", stripe.double.paySession(defined(order.providerSessionId))),
  );
  expect(res.status).toBe(200);
}

/** An executing batch paying the theater, two hosts and the developers' fund: four transfers. */
async function executingBatch(currency = "EUR") {
  const w = await seedPaymentsWorld({ currency });
  for (const [kind, orgId] of [
    ["theater_payable", w.theater.org.id],
    ["host_payable", w.hostA.org.id],
    ["host_payable", w.hostB.org.id],
    ["developers_fund", null],
  ] as const) {
    const { payeeAccountId } = await connectPayeeAccount({
      actor: { type: "system", id: "system" },
      kind,
      orgId,
      returnPath: "/",
      country: "DE",
    });
    const payee = await db().payeeAccount.findUniqueOrThrow({ where: { id: payeeAccountId } });
    stripe.double.completeOnboarding(payee.providerAccountId);
  }
  await sellThroughStripe(w.theater.org.id, 12_000, currency);
  await sellThroughStripe(w.theater.org.id, 7_000, currency);
  const batch = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency });
  await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
  await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
  return { w, batch };
}

/** Runs `cli payouts run-transfers` as a separate process on the same Postgres database. */
async function runTransfersInChild(
  extraEnv: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  // The CLI as the image ships it (tests/support/bundled-cli.ts): tsx compiling the sources cost each of the
  // two runs several seconds of CPU more.
  const child = spawn(process.execPath, [await bundledCli(), "payouts", "run-transfers"], {
    env: { ...process.env, LOG_LEVEL: "silent", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  // No timer of its own: how long the runner takes to start (Node loads the CLI) depends on the
  // machine's load, and a kill on a timer would turn a slow start into a wrong exit signal. The
  // test's timeout bounds the wait; a runner still alive when the test ends is stopped then.
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

describe("payout execution under crashes and races", () => {
  // The payout runner is killed as a separate process while this one holds the database: on the
  // embedded engine (one process at a time, several seconds to open per process) that is a
  // different test, so it runs on Postgres, where several runners share one database.
  it.runIf(process.env.TEST_DB === "postgres")(
    "pays each payee exactly once when the payout run is killed after two transfers and run again",
    // Two CLI processes: seconds on an idle machine, minutes on a loaded one.
    { timeout: 600_000 },
    async () => {
      const { batch } = await executingBatch();
      await executePayoutBatch({
        actor: {
          type: "user",
          id: (await db().payoutBatchApproval.findFirstOrThrow({ where: { batchId: batch.id } })).userId,
        },
        batchId: batch.id,
      });
      const items = await db().payoutItem.findMany({ where: { batchId: batch.id } });
      expect(items).toHaveLength(4);

      const crashed = await runTransfersInChild({ GUILDHALL_CRASH_AFTER_TRANSFERS: "2" });
      expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
      expect(stripe.double.transfers).toHaveLength(2);
      // The second transfer went out but its item was never recorded: the crash hit in between.
      expect(await db().payoutItem.count({ where: { batchId: batch.id, status: "posted" } })).toBe(1);

      // The dead runner's leases run out (a minute in production); the next run picks the jobs up.
      await db().outboxJob.updateMany({
        where: { kind: "payout.transfer", status: "pending" },
        data: { lockedUntil: new Date(Date.now() - 1000), runAfter: new Date(Date.now() - 1000) },
      });
      const rerun = await runTransfersInChild({});
      expect(rerun.code, rerun.stderr).toBe(0);

      const done = await db().payoutItem.findMany({ where: { batchId: batch.id } });
      expect(done.every((i) => i.status === "posted")).toBe(true);
      const payees = await db().payeeAccount.findMany();
      for (const item of done) {
        const received = stripe.double.transfersTo(defined(item.destination));
        expect(received, `payee ${item.ledgerAccountId}`).toHaveLength(1);
        expect(received[0].amount).toBe(Number(item.amountMinor));
      }
      expect(stripe.double.transfers).toHaveLength(4);
      expect(stripe.double.requests.filter((r) => r.path === "/v1/transfers").length).toBe(5); // one replay, answered from the idempotency key
      expect(payees.length).toBeGreaterThanOrEqual(4);
      expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("completed");
      expect((await checkLedger()).ok).toBe(true);
    },
  );

  it("keeps transfers waiting while the sales' funds are pending, and pays each once they are available", async () => {
    stripe.double.holdFunds(2 * 86_400);
    try {
      // A currency of its own: what the other tests left available in euros is no part of this.
      const { batch } = await executingBatch("CHF");
      await executePayoutBatch({
        actor: {
          type: "user",
          id: (await db().payoutBatchApproval.findFirstOrThrow({ where: { batchId: batch.id } })).userId,
        },
        batchId: batch.id,
      });
      const refusedBefore = stripe.double.transfers.length;
      // Waits for the run the execution kicked off, too.
      await drainOutbox();
      expect(stripe.double.transfers.length).toBe(refusedBefore);
      const waiting = await db().payoutItem.findMany({ where: { batchId: batch.id } });
      expect(waiting.length).toBeGreaterThanOrEqual(4);
      for (const item of waiting) {
        expect(item).toMatchObject({ status: "pending", attempt: 2 });
        expect(item.waitingReason).toMatch(/available balance/);
      }
      const jobs = await db().outboxJob.findMany({
        where: { kind: "payout.transfer", idempotencyKey: { in: waiting.map((i) => `payout.transfer:${i.id}`) } },
      });
      // Put back for an hour, not counted as failures: a wait of days never makes the job dead.
      for (const job of jobs) {
        expect(job).toMatchObject({ status: "pending", attempts: 0 });
        expect(job.runAfter.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
      }
      expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("executing");

      // Two days later (the double's clock), when the next hourly try comes round, the funds are there.
      stripe.double.advance(2 * 86_400 + 60);
      await db().outboxJob.updateMany({
        where: { id: { in: jobs.map((j) => j.id) } },
        data: { runAfter: new Date(Date.now() - 1000) },
      });
      await drainOutbox();
      const paid = await db().payoutItem.findMany({ where: { batchId: batch.id } });
      // One transfer per item, of its amount, and no other.
      expect(stripe.double.transfers.length - refusedBefore).toBe(paid.length);
      for (const item of paid) {
        expect(item).toMatchObject({ status: "posted", waitingReason: null });
        const sent = stripe.double.transfers.filter((t) => t.id === item.providerTransferId);
        expect(sent.map((t) => t.amount)).toEqual([Number(item.amountMinor)]);
      }
      expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("completed");
      expect((await checkLedger()).ok).toBe(true);
    } finally {
      stripe.double.holdFunds(0);
    }
  });

  it("counts racing approvals once each and lets only one of two racing executions through", async () => {
    const w = await seedPaymentsWorld();
    await sellThroughStripe(w.theater.org.id, 3_000);
    const batch = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: "EUR" });

    const same = await Promise.allSettled([
      approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id }),
      approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id }),
    ]);
    expect(same.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(same.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT", reason: "ALREADY_APPROVED" },
    });
    expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("draft");

    const { user: finance3 } = await (await import("../../support/factories")).seedUser({ roles: ["FINANCE"] });
    const two = await Promise.allSettled([
      approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id }),
      approvePayoutBatch({ actor: { type: "user", id: finance3.id }, batchId: batch.id }),
    ]);
    // The second approval approves the batch; a third, racing it, finds it no longer a draft.
    expect(two.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(two.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT", reason: "BATCH_NOT_DRAFT" },
    });
    expect(await db().payoutBatchApproval.count({ where: { batchId: batch.id } })).toBe(2);

    const runs = await Promise.allSettled([
      executePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id }),
      executePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id }),
    ]);
    expect(runs.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(runs.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT", reason: "BATCH_ALREADY_EXECUTED" },
    });
    const items = await db().payoutItem.findMany({ where: { batchId: batch.id } });
    expect(
      await db().outboxJob.count({
        where: { kind: "payout.transfer", idempotencyKey: { in: items.map((i) => `payout.transfer:${i.id}`) } },
      }),
    ).toBe(items.length);
  });

  it("puts a balance in one batch only when two batches are created at once, and refuses non-finance users", async () => {
    const w = await seedPaymentsWorld();
    await sellThroughStripe(w.theater.org.id, 4_000);
    const made = await Promise.allSettled([
      createPayoutBatch({ actor: { type: "system", id: "system" }, currency: "EUR" }),
      createPayoutBatch({ actor: { type: "system", id: "system" }, currency: "EUR" }),
    ]);
    const ok = made.filter(
      (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof createPayoutBatch>>> => r.status === "fulfilled",
    );
    const accounts = await db().payoutItem.findMany({
      where: { batchId: { in: ok.map((r) => r.value.id) } },
      select: { ledgerAccountId: true },
    });
    expect(new Set(accounts.map((a) => a.ledgerAccountId)).size).toBe(accounts.length);
    const { seedUser } = await import("../../support/factories");
    const { user: outsider } = await seedUser();
    const batchId = ok[0].value.id;
    await expect(approvePayoutBatch({ actor: { type: "user", id: outsider.id }, batchId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(executePayoutBatch({ actor: { type: "user", id: outsider.id }, batchId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      approvePayoutBatch({ actor: { type: "user", id: w.theater.admin.id }, batchId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
