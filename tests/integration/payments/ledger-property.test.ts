import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { decideRefundApproval } from "@/lib/payments/decide-refund-approval";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { closeDispute } from "@/lib/payments/close-dispute";
import { simulatedFeeMinor } from "@/lib/payment-provider/simulated-fee";
import { createPayoutBatch } from "@/lib/payouts/create-payout-batch";
import { approvePayoutBatch } from "@/lib/payouts/approve-payout-batch";
import { executePayoutBatch } from "@/lib/payouts/execute-payout-batch";
import { connectPayeeAccount } from "@/lib/payouts/connect-payee-account";
import { runPayoutTransfers } from "@/lib/payouts/run-payout-transfers";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { ledgerAccountId } from "@/lib/ledger/accounts";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { defined } from "../../support/defined";

type Op =
  | { kind: "sale"; amount: number }
  | { kind: "refund"; sale: number; fraction: number }
  | { kind: "dispute"; sale: number; won: boolean }
  | { kind: "payout" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((amount) => ({ kind: "sale" as const, amount })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      sale: fc.nat(20),
      fraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dispute" as const), sale: fc.nat(20), won: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: "payout" as const }) },
);

const CLEARING = ledgerAccountId({ kind: "processor_clearing", currency: "EUR" });

async function clearingBalance(): Promise<number> {
  return (
    (await getAccountBalances({ kinds: ["processor_clearing"] })).find((b) => b.accountId === CLEARING)?.balanceMinor ??
    0
  );
}

/**
 * Random sequences of sales, partial refunds, disputes (won or lost) and
 * payout batches, on the real database. After every sequence: each entry sums
 * to zero (checkLedger, independent of the triggers), each sale's split sums
 * to its net, balances equal the sum of postings, and the cash at the provider
 * matches a model kept here from the operations alone.
 */
describe("ledger invariants under random operations", () => {
  it("hold for every sequence", { timeout: 240_000 }, async () => {
    const w = await seedPaymentsWorld();
    for (const [kind, orgId] of [
      ["theater_payable", w.theater.org.id],
      ["host_payable", w.hostA.org.id],
      ["host_payable", w.hostB.org.id],
      ["developers_fund", null],
    ] as const) {
      await connectPayeeAccount({ actor: { type: "system", id: "system" }, kind, orgId, returnPath: "/" });
    }
    const actor = { type: "user" as const, id: w.finance1.id };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        let expectedClearing = await clearingBalance();
        const sales: { id: string; amount: number; left: number }[] = [];
        for (const o of ops) {
          if (o.kind === "sale") {
            const { checkoutId } = await createCheckout(
              ticketCheckoutInput(w.theater.org.id, {
                lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: o.amount }],
              }),
            );
            await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" });
            sales.push({ id: checkoutId, amount: o.amount, left: o.amount });
            expectedClearing += o.amount - simulatedFeeMinor(o.amount);
          } else if (o.kind === "refund" && sales.length) {
            const s = sales[o.sale % sales.length];
            const amount = Math.min(s.left, Math.max(1, Math.floor(s.amount * o.fraction)));
            if (amount <= 0) continue;
            const refund = await refundOrder({
              actor: actor,
              orderId: s.id,
              amountMinor: amount,
              reason: "property test",
              requestKey: crypto.randomUUID(),
            });
            // A large refund waits for a second finance user.
            if (refund.status === "awaiting_approval")
              await decideRefundApproval({
                actor: { type: "user", id: w.finance2.id },
                refundRequestId: refund.id,
                approve: true,
              });
            s.left -= amount;
            expectedClearing -= amount;
          } else if (o.kind === "dispute" && sales.length) {
            const s = sales[o.sale % sales.length];
            if (s.left <= 0) continue;
            // Providers give every dispute its own id, even a second one on the same charge.
            const ref = `dp_${crypto.randomUUID()}`;
            await db().$transaction((tx) =>
              recordPaymentAdjustment(tx, {
                orderId: s.id,
                kind: "dispute",
                amountMinor: s.left,
                providerRef: ref,
                actor,
              }),
            );
            expectedClearing -= s.left;
            if (o.won) {
              await db().$transaction((tx) => closeDispute(tx, { providerRef: ref, won: true, actor }));
              expectedClearing += s.left;
            } else s.left = 0;
          } else if (o.kind === "payout") {
            const batch = await createPayoutBatch({ actor, currency: "EUR" }).catch((e: { reason?: string }) => {
              if (e.reason === "NOTHING_TO_PAY") return null;
              throw e;
            });
            if (!batch) continue;
            await approvePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
            await approvePayoutBatch({ actor: { type: "user", id: w.finance2.id }, batchId: batch.id });
            await executePayoutBatch({ actor: { type: "user", id: w.finance1.id }, batchId: batch.id });
            await runPayoutTransfers();
            const items = await db().payoutItem.findMany({ where: { batchId: batch.id } });
            expect(items.every((i) => i.status === "posted")).toBe(true);
            expectedClearing -= items.reduce((sum, i) => sum + Number(i.amountMinor), 0);
          }
        }
        const check = await checkLedger();
        expect(check.problems).toEqual([]);
        expect(await clearingBalance()).toBe(expectedClearing);
        for (const s of sales) {
          const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: s.id } });
          const postings = await db().ledgerPosting.findMany({ where: { entryId: defined(order.saleEntryId) } });
          const credited = postings.filter((p) => p.amountMinor < 0n).reduce((sum, p) => sum - p.amountMinor, 0n);
          expect(credited).toBe(BigInt(order.amountMinor)); // net to payees + the fee the org bears
        }
        const rows = await db().ledgerPosting.groupBy({ by: ["accountId"], _sum: { amountMinor: true } });
        const balances = await getAccountBalances();
        for (const r of rows)
          expect(balances.find((b) => b.accountId === r.accountId)?.balanceMinor).toBe(Number(r._sum.amountMinor));
      }),
      { numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 10), endOnFailure: true },
    );
  });
});
