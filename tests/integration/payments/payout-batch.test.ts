import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { getPayoutItemSources } from "@/lib/payouts/get-payout-item-sources";
import { getPayeeStatement } from "@/lib/payouts/get-payee-statement";
import { getPayeeStatementCsv } from "@/lib/payouts/get-payee-statement-csv";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { seedUser } from "../../support/factories";
import { processProviderEvent } from "@/lib/payments/process-provider-event";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { usagePeriodShifted } from "@/lib/splits/usage-period";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";
import { seedActiveSplitPolicy, seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { defined } from "../../support/defined";

async function sell(theaterOrgId: string, unitAmountMinor = 2500) {
  const { checkoutId } = await createCheckout(
    ticketCheckoutInput(theaterOrgId, { lineItems: [{ name: "Seat", quantity: 2, unitAmountMinor }] }),
  );
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
  return checkoutId;
}

async function connectAll(w: Awaited<ReturnType<typeof seedPaymentsWorld>>) {
  const actor = { type: "system" as const, id: "system" };
  await connectPayeeAccount({ actor, kind: "theater_payable", orgId: w.theater.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "host_payable", orgId: w.hostA.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "host_payable", orgId: w.hostB.org.id, returnPath: "/" });
  await connectPayeeAccount({ actor, kind: "developers_fund", orgId: null, returnPath: "/" });
}

describe("payout batches", () => {
  it("pays each payee its balance after two different finance approvals, and zeroes the payables", async () => {
    const w = await seedPaymentsWorld();
    await connectAll(w);
    const orderIds = [await sell(w.theater.org.id), await sell(w.theater.org.id, 999)];
    const batch = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: "EUR" });
    const items = await db().payoutItem.findMany({ where: { batchId: batch.id } });
    const owedBefore = await getAccountBalances({ kinds: ["theater_payable", "host_payable", "developers_fund"] });
    expect(items.reduce((s, i) => s + i.amountMinor, 0n)).toBe(
      BigInt(-owedBefore.filter((b) => b.currency === "EUR").reduce((s, b) => s + b.balanceMinor, 0)),
    );

    // Drill-down reaches every source payment and its split.
    const theaterItem = defined(items.find((i) => i.orgId === w.theater.org.id));
    const sources = await getPayoutItemSources({ batchId: batch.id, itemId: theaterItem.id });
    expect(sources.lines.map((l) => l.orderId).sort()).toEqual([...orderIds].sort());
    for (const line of sources.lines) expect(line.split.reduce((s, p) => s + p.amountMinor, 0)).toBe(0);
    // The item is found only under its own batch: another batch's URL does not show it.
    await expect(getPayoutItemSources({ batchId: "another-batch", itemId: theaterItem.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
      reason: "ITEM_NOT_FOUND",
    });

    await expect(
      executePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "BATCH_NOT_APPROVED",
    });
    await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
    await expect(
      approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ALREADY_APPROVED",
    });
    const { user: notFinance } = await seedUser();
    await expect(
      approvePayoutBatch({ actor: { type: "user", id: notFinance.id }, batchId: batch.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id })).status).toBe(
      "approved",
    );

    await executePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
    await drainOutbox();
    const done = await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id }, include: { items: true } });
    expect(done.status).toBe("completed");
    expect(done.items.every((i) => i.status === "posted" && i.providerTransferId)).toBe(true);
    for (const b of await getAccountBalances({ kinds: ["theater_payable", "host_payable", "developers_fund"] }))
      expect(b.balanceMinor).toBe(0);
    expect(await db().mailMessage.count({ where: { template: "payout-statement" } })).toBeGreaterThanOrEqual(3);
    expect(await db().mailMessage.count({ where: { template: "payout-batch-summary" } })).toBe(2);
    expect((await checkLedger()).ok).toBe(true);
    // Every money-moving step is in the audit chain.
    const batchEvents = await db().auditEvent.findMany({
      where: { subjectId: batch.id },
      orderBy: { queued: "asc" },
      select: { action: true },
    });
    expect(batchEvents.map((e) => e.action)).toEqual([
      "payout_batch.created",
      "payout_batch.approval_added",
      "payout_batch.approval_added",
      "payout_batch.approved",
      "payout_batch.executing",
      "payout_batch.completed",
    ]);
    expect(
      await db().auditEvent.count({
        where: { action: "payout_item.posted", subjectId: { in: done.items.map((i) => i.id) } },
      }),
    ).toBe(done.items.length);
    expect(await db().auditEvent.count({ where: { action: "order.paid", subjectId: { in: orderIds } } })).toBe(2);
    const statement = await getPayeeStatement(w.theater.org.id);
    expect(statement.items[0]).toMatchObject({ status: "posted", batchId: batch.id });
    // Each line names the channel its money came in through; a payout has none.
    expect(statement.lines.map((l) => `${l.kind}:${l.channel}`).sort()).toEqual([
      "payout:null",
      "sale:simulated",
      "sale:simulated",
    ]);
    const { csv } = await getPayeeStatementCsv(w.theater.org.id);
    expect(csv.split("\n")[0]).toContain("kind,channel,order_id");
    expect(csv).toContain(`,sale,simulated,${orderIds[0]},`);
  });

  it("lets only a payee's own managers connect its account, checked in the domain operation", async () => {
    const w = await seedPaymentsWorld();
    const { user: stranger } = await seedUser({ roles: ["ORG_ADMIN"] });
    const theaterPayee = { kind: "theater_payable" as const, orgId: w.theater.org.id, returnPath: "/" };
    const refused = {
      code: "FORBIDDEN",
      userMessage: "Only this payee's own managers can connect its payout account.",
    };
    // Finance sees the theater's payouts, but the theater chooses where its money goes; an org admin neither.
    for (const actor of [w.finance1, stranger, w.hostA.admin])
      await expect(
        connectPayeeAccount({ actor: { type: "user", id: actor.id }, ...theaterPayee }),
      ).rejects.toMatchObject(refused);
    const fund = { kind: "developers_fund" as const, orgId: null, returnPath: "/" };
    await expect(
      connectPayeeAccount({ actor: { type: "user", id: w.theater.admin.id }, ...fund }),
    ).rejects.toMatchObject(refused);
    expect(await db().payeeAccount.count({ where: { orgId: w.theater.org.id } })).toBe(0);
    const own = await connectPayeeAccount({ actor: { type: "user", id: w.theater.admin.id }, ...theaterPayee });
    expect(own.onboardingStatus).toBe("complete");
  });

  it("carries a negative balance (refund after payout) into the next batch and fails items of unconnected payees", async () => {
    const w = await seedPaymentsWorld();
    await connectPayeeAccount({
      actor: { type: "system", id: "system" },
      kind: "theater_payable",
      orgId: w.theater.org.id,
      returnPath: "/",
    });
    const first = await sell(w.theater.org.id);
    const batch = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: "EUR" });
    await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
    await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
    await executePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
    await drainOutbox();
    const items = await db().payoutItem.findMany({ where: { batchId: batch.id } });
    expect(items.find((i) => i.orgId === w.theater.org.id)?.status).toBe("posted");
    // These hosts have no connected account: failed, their balance stays owed.
    const hostItems = items.filter((i) => i.orgId === w.hostA.org.id || i.orgId === w.hostB.org.id);
    expect(hostItems.length).toBe(2);
    expect(hostItems.every((i) => i.status === "failed" && i.failureReason?.includes("no connected account"))).toBe(
      true,
    );

    await refundOrder({
      actor: { type: "user", id: w.finance1.id },
      orderId: first,
      amountMinor: 5000,
      reason: "cancelled show",
      requestKey: crypto.randomUUID(),
    });
    const theater = (await getAccountBalances({ orgId: w.theater.org.id }))[0];
    expect(theater.balanceMinor).toBeGreaterThan(0); // the theater owes back what it was paid
    await sell(w.theater.org.id, 10_000);
    const next = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: "EUR" });
    const nextTheater = await db().payoutItem.findFirstOrThrow({
      where: { batchId: next.id, orgId: w.theater.org.id },
    });
    expect(Number(nextTheater.amountMinor)).toBe(
      -(await getAccountBalances({ orgId: w.theater.org.id }))[0].balanceMinor,
    );
    expect(Number(nextTheater.amountMinor)).toBeLessThan(17_000); // the 20 000 sale's share less what was clawed back
    expect((await checkLedger()).ok).toBe(true);
  });

  it("re-owes a payout whose transfer the provider reversed, and pays it in the next batch", async () => {
    const w = await seedPaymentsWorld();
    await connectAll(w);
    await sell(w.theater.org.id);
    const batch = await createPayoutBatch({ actor: { type: "system", id: "system" }, currency: "EUR" });
    await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
    await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
    await executePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
    await drainOutbox();
    const item = await db().payoutItem.findFirstOrThrow({ where: { batchId: batch.id, orgId: w.theater.org.id } });
    expect((await getAccountBalances({ orgId: w.theater.org.id }))[0].balanceMinor).toBe(0);
    // A Stripe-signed event naming this simulated transfer's id changes nothing: ids are unique per provider only.
    expect(
      await processProviderEvent({
        provider: "stripe",
        id: `evt_rev_${item.id}`,
        type: "transfer.reversed",
        object: { id: item.providerTransferId, amount_reversed: Number(item.amountMinor) },
      }),
    ).toMatchObject({ outcome: "ignored", note: "transfer of another provider than stripe" });
    expect((await db().payoutItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("posted");
    const event = {
      provider: "simulated" as const,
      id: `sim_evt_rev_${item.id}`,
      type: "transfer.reversed",
      object: { id: item.providerTransferId, amount_reversed: Number(item.amountMinor) },
    };
    expect(await processProviderEvent(event)).toMatchObject({ outcome: "handled" });
    expect(await processProviderEvent(event)).toMatchObject({ duplicate: true });
    expect((await db().payoutItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("failed");
    expect((await getAccountBalances({ orgId: w.theater.org.id }))[0].balanceMinor).toBe(-Number(item.amountMinor));
    const next = await createPayoutBatch({ actor: { type: "system", id: "system" }, currency: "EUR" });
    expect(
      (await db().payoutItem.findFirstOrThrow({ where: { batchId: next.id, orgId: w.theater.org.id } })).amountMinor,
    ).toBe(item.amountMinor);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("divides the hosts' share by reported usage under a usage policy", async () => {
    const w = await seedPaymentsWorld({ currency: "GBP" });
    await db().splitPolicy.updateMany({
      where: { productKind: "TICKET_SALE", currency: "GBP" },
      data: { status: "superseded" },
    });
    await seedActiveSplitPolicy("TICKET_SALE", "GBP", {
      hostRule: "usage",
      theaterBps: 0,
      developersFundBps: 0,
      hostsBps: 10_000,
      orgBps: 0,
      orgFixedMinor: 0,
    });
    // These two hosts joined long ago and report for last month, the period that weighs this month's sales;
    // every other host in this database weighs 0.
    await db().organization.updateMany({
      where: { id: { in: [w.hostA.org.id, w.hostB.org.id] } },
      data: { createdAt: new Date("2020-01-01T00:00:00Z") },
    });
    const lastMonth = usagePeriodShifted(new Date(), -1);
    await reportHostUsage({
      actor: { type: "system", id: "system" },
      hostOrgId: w.hostA.org.id,
      period: lastMonth,
      units: 300,
    });
    await reportHostUsage({
      actor: { type: "system", id: "system" },
      hostOrgId: w.hostB.org.id,
      period: lastMonth,
      units: 100,
    });
    const { checkoutId } = await createCheckout(
      ticketCheckoutInput(w.theater.org.id, {
        currency: "GBP",
        lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: 10_025 }],
      }),
    );
    await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
    const net = 10_025 - simulatedFeeMinor(10_025);
    const a = -defined((await getAccountBalances({ orgId: w.hostA.org.id })).find((b) => b.currency === "GBP"))
      .balanceMinor;
    const b = -defined((await getAccountBalances({ orgId: w.hostB.org.id })).find((x) => x.currency === "GBP"))
      .balanceMinor;
    expect(a + b).toBe(net);
    expect(Math.abs(a - 3 * b)).toBeLessThanOrEqual(3);
  });

  it("refuses a batch when nobody is owed anything", async () => {
    await seedPaymentsWorld({ currency: "USD" });
    await expect(createPayoutBatch({ actor: { type: "system", id: "system" }, currency: "USD" })).rejects.toMatchObject(
      {
        code: "UNPROCESSABLE",
        reason: "NOTHING_TO_PAY",
      },
    );
  });
});
