import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { retryPayoutItem } from "@/lib/payouts/retry-payout-item";
import {
  listOwedPayeesWithoutPayoutAccount,
  listPayeesWithoutPayoutAccount,
} from "@/lib/payouts/list-payees-without-payout-account";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { seedUser } from "../../support/factories";
import { openedMail } from "../../support/mail";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

type World = Awaited<ReturnType<typeof seedPaymentsWorld>>;

async function sell(w: World) {
  const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id, { currency: w.currency }));
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
}

async function connect(kind: "theater_payable" | "host_payable" | "developers_fund", orgId: string | null) {
  await connectPayeeAccount({ actor: { type: "system", id: "system" }, kind, orgId, returnPath: "/" });
}

async function executedBatch(w: World) {
  const batch = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: w.currency });
  await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
  await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
  await executePayoutBatch({
    actor: { type: "user", id: w.finance1.id },
    batchId: batch.id,
    reason: "The monthly payout run",
  });
  await drainOutbox();
  return db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id }, include: { items: true } });
}

/** The (sealed) messages of a template, opened. */
async function mailsOf(template: string) {
  return (await db().mailMessage.findMany({ where: { template } })).map(openedMail);
}

const transfersTo = async (destination: string) =>
  db().simulatedProviderObject.count({ where: { kind: "transfer", destination } });

/** Every payee but the one named has a payout account (the hosts' share of a sale is split among all hosts). */
async function connectAllBut(w: World, unconnectedOrgId: string) {
  await connect("theater_payable", w.theater.org.id);
  await connect("developers_fund", null);
  for (const host of await db().organization.findMany({ where: { kind: "HOST", id: { not: unconnectedOrgId } } }))
    await connect("host_payable", host.id);
}

// The tests share one database and run in order: the first one needs that no payee has a payout account yet.
// Each test sells, pays out and drains the outbox: up to a minute on a loaded machine, hence two.
describe("payout batches whose transfers fail", { timeout: 120_000 }, () => {
  it("calls a batch failed when no transfer went through", async () => {
    const w = await seedPaymentsWorld({ currency: "GBP" });
    await sell(w);
    const batch = await executedBatch(w);
    expect(batch.status).toBe("failed");
    const executing = await db().auditEvent.findFirstOrThrow({
      where: { action: "payout_batch.executing", subjectId: batch.id },
    });
    expect(executing.data).toMatchObject({ reason: "The monthly payout run" });
    expect(batch.items.every((i) => i.status === "failed")).toBe(true);
    const [summary] = (await mailsOf("payout-batch-summary")).filter((m) => m.subject.includes(batch.id));
    expect(summary.subject).toContain("every transfer failed, nothing was paid");
  });

  it("warns before proposing, and calls a batch with failed transfers partly failed, in the email too", async () => {
    const w = await seedPaymentsWorld({ currency: "EUR" });
    await connect("theater_payable", w.theater.org.id);
    await connect("developers_fund", null);
    await sell(w);
    const warned = await listOwedPayeesWithoutPayoutAccount("EUR");
    const names = warned.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([w.hostA.org.name, w.hostB.org.name]));
    expect(names).not.toContain(w.theater.org.name);
    expect(names).not.toContain("Developers' fund");
    expect(warned[0].reason).toBe("it has no payout account");

    const batch = await executedBatch(w);
    expect(batch.status).toBe("partly_failed");
    const statusOf = (orgId: string) => batch.items.find((i) => i.orgId === orgId)?.status;
    expect([statusOf(w.theater.org.id), statusOf(w.hostA.org.id), statusOf(w.hostB.org.id)]).toEqual([
      "posted",
      "failed",
      "failed",
    ]);
    expect(batch.items.every((i) => i.status !== "failed" || i.failedAt)).toBe(true);
    const [summary] = (await mailsOf("payout-batch-summary")).filter((m) => m.subject.includes(batch.id));
    expect(summary.subject).toBe(`Guildhall payout batch ${batch.id}: some transfers failed`);
    expect(summary.text).toContain(`${w.hostA.org.name}: `);
    expect(summary.text).not.toMatch(/completed/);
    const events = await db().auditEvent.findMany({ where: { subjectId: batch.id }, select: { action: true } });
    expect(events.map((e) => e.action)).toContain("payout_batch.partly_failed");
  });

  it("retries a failed transfer once its payee connects, paying it exactly once", async () => {
    const w = await seedPaymentsWorld({ currency: "USD" });
    await connectAllBut(w, w.hostA.org.id);
    await sell(w);
    const batch = await executedBatch(w);
    expect(batch.status).toBe("partly_failed");
    const item = await db().payoutItem.findFirstOrThrow({ where: { batchId: batch.id, orgId: w.hostA.org.id } });
    expect(item.status).toBe("failed");
    const input = { batchId: batch.id, itemId: item.id };

    // The wrong user is refused; a retry bound to fail is refused before it runs; neither changes anything.
    const { user: outsider } = await seedUser();
    await expect(retryPayoutItem({ actor: { type: "user", id: outsider.id }, ...input })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(retryPayoutItem({ actor: { type: "user", id: w.finance1.id }, ...input })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "PAYEE_NOT_CONNECTED",
    });
    expect(await db().payoutItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "failed",
      attempt: 1,
    });
    expect((await listPayeesWithoutPayoutAccount([item.ledgerAccountId])).length).toBe(1);

    await connect("host_payable", w.hostA.org.id);
    const destination = (await db().payeeAccount.findFirstOrThrow({ where: { orgId: w.hostA.org.id } }))
      .providerAccountId;
    // Two finance users press Retry at once: one retry goes out, the other is refused.
    const results = await Promise.allSettled([
      retryPayoutItem({ actor: { type: "user", id: w.finance1.id }, ...input }),
      retryPayoutItem({ actor: { type: "user", id: w.finance2.id }, ...input }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT", reason: "ITEM_NOT_RETRYABLE" },
    });
    expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("executing");
    await drainOutbox();
    await drainOutbox();

    const paid = await db().payoutItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(paid).toMatchObject({ status: "posted", attempt: 2, failureReason: null });
    expect(await transfersTo(destination)).toBe(1);
    expect((await db().payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("completed");
    expect((await getAccountBalances({ orgId: w.hostA.org.id }))[0].balanceMinor).toBe(0);
    // Once paid it cannot be sent again.
    await expect(retryPayoutItem({ actor: { type: "user", id: w.finance1.id }, ...input })).rejects.toMatchObject({
      reason: "ITEM_NOT_RETRYABLE",
    });
    expect(await transfersTo(destination)).toBe(1);
    // The retry's round mails the host that was paid (it was told of the failure before), not the payees already paid.
    const statements = (await mailsOf("payout-statement")).filter((m) => m.subject.includes(batch.id));
    expect(statements.filter((m) => m.subject.includes(w.hostA.org.name)).length).toBe(2);
    expect(statements.filter((m) => m.subject.includes(w.hostB.org.name)).length).toBe(1);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("refuses a retry when a later batch already holds the payee's balance", async () => {
    const w = await seedPaymentsWorld({ currency: "CHF" });
    await connectAllBut(w, w.hostA.org.id);
    await sell(w);
    const first = await executedBatch(w);
    const item = await db().payoutItem.findFirstOrThrow({ where: { batchId: first.id, orgId: w.hostA.org.id } });
    await connect("host_payable", w.hostA.org.id);
    const later = await createPayoutBatch({ actor: { type: "user", id: w.finance1.id }, currency: w.currency });
    expect(await db().payoutItem.count({ where: { batchId: later.id, orgId: w.hostA.org.id } })).toBe(1);
    await expect(
      retryPayoutItem({ actor: { type: "user", id: w.finance1.id }, batchId: first.id, itemId: item.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "IN_LATER_BATCH",
    });
  });
});

describe("connecting a payee", () => {
  it("makes one payout account when the same payee is connected several times at once, answering each", async () => {
    const w = await seedPaymentsWorld();
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() =>
        connectPayeeAccount({
          actor: { type: "system", id: "system" },
          kind: "host_payable",
          orgId: w.hostB.org.id,
          returnPath: "/",
        }),
      ),
    );
    const answered = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.payeeAccountId] : []));
    expect(answered).toHaveLength(4);
    expect(new Set(answered).size).toBe(1);
    expect(await db().payeeAccount.count({ where: { orgId: w.hostB.org.id } })).toBe(1);
  });
});
