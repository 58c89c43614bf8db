import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { userActor } from "@/lib/access/actor";
import { createCheckout } from "@/lib/payments/create-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

const stripe = useStripeDouble();
const deliver = stripe.deliver;

async function paidOrder() {
  const w = await seedPaymentsWorld();
  const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
  const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
  const session = stripe.double.paySession(String(order.providerSessionId));
  expect(await deliver(stripe.double.event("checkout.session.completed", session))).toMatchObject({ status: 200 });
  return { w, orderId: checkoutId, intentId: String(session.payment_intent) };
}

const refundedOf = async (orderId: string) =>
  (await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor;
const theaterBalance = async (orgId: string) => (await getAccountBalances({ orgId }))[0].balanceMinor;

describe("refunds made outside Guildhall (the Stripe Dashboard)", () => {
  it("are taken from refund.created: the payees' split is reduced, once, and charge.refunded finds them recorded", async () => {
    const { w, orderId, intentId } = await paidOrder();
    const owedBefore = await theaterBalance(w.theater.org.id);
    const refund = stripe.double.refundOutside(intentId, 1500);
    const created = stripe.double.event("refund.created", refund);
    expect(await deliver(created)).toMatchObject({ status: 200, body: { outcome: "handled" } });
    expect(await refundedOf(orderId)).toBe(1500n);
    // The theater is owed less (its balance is a credit, negative): part of the refund is clawed back.
    expect(await theaterBalance(w.theater.org.id)).toBeGreaterThan(owedBefore);
    expect(await deliver(created)).toMatchObject({ status: 200, body: { duplicate: true } });
    // The charge event, in the pinned version's shape (no embedded refunds list): already recorded.
    const charge = stripe.double.chargeOfIntent(intentId);
    expect(charge && "refunds" in charge).toBe(false);
    expect(await deliver(stripe.double.event("charge.refunded", charge ?? {}))).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    expect(await refundedOf(orderId)).toBe(1500n);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("are found through charge.refunded alone, by listing the charge's refunds from Stripe", async () => {
    const { orderId, intentId } = await paidOrder();
    stripe.double.refundOutside(intentId, 700);
    stripe.double.refundOutside(intentId, 300);
    const charge = stripe.double.chargeOfIntent(intentId) ?? {};
    expect(await deliver(stripe.double.event("charge.refunded", charge))).toMatchObject({
      status: 200,
      body: { outcome: "handled", note: "2 refund(s) changed" },
    });
    expect(await refundedOf(orderId)).toBe(1000n);
  });

  it("a refund that fails later is reversed in the ledger: the payees get their shares back", async () => {
    const { w, orderId, intentId } = await paidOrder();
    const owedBefore = await theaterBalance(w.theater.org.id);
    const refund = stripe.double.refundOutside(intentId, 2000);
    await deliver(stripe.double.event("refund.created", refund));
    expect(await refundedOf(orderId)).toBe(2000n);
    const failed = stripe.double.failRefund(String(refund.id));
    expect(await deliver(stripe.double.event("refund.failed", failed))).toMatchObject({
      status: 200,
      body: { outcome: "handled" },
    });
    expect(await refundedOf(orderId)).toBe(0n);
    expect(await theaterBalance(w.theater.org.id)).toBe(owedBefore);
    const adjustment = await db().paymentAdjustment.findFirstOrThrow({ where: { providerRef: String(refund.id) } });
    expect(adjustment).toMatchObject({ status: "reversed", providerStatus: "failed" });
    const reversal = await db().journalEntry.findUniqueOrThrow({ where: { id: String(adjustment.reversalEntryId) } });
    expect(reversal.reversesEntryId).toBe(adjustment.journalEntryId);
    // A late copy of the creation event (Stripe does not keep order) cannot bring it back: the state is Stripe's now.
    expect(await deliver(stripe.double.event("refund.updated", { ...refund, status: "succeeded" }))).toMatchObject({
      body: { outcome: "ignored" },
    });
    expect(await refundedOf(orderId)).toBe(0n);
    // The money is refundable again, and is refunded once.
    const again = await refundOrder({
      actor: userActor(w.finance1.id),
      orderId,
      amountMinor: 5000,
      reason: "card replaced, refund again",
      requestKey: "again",
    });
    expect(again.status).toBe("submitted");
    expect(await refundedOf(orderId)).toBe(5000n);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("a pending refund is recorded, and its later success only updates its state (charge.refund.updated too)", async () => {
    const { w, orderId } = await paidOrder();
    stripe.double.setNextRefundStatus("pending");
    const mine = await refundOrder({
      actor: userActor(w.finance1.id),
      orderId,
      amountMinor: 1200,
      reason: "bank transfer refund",
      requestKey: "pending-one",
    });
    stripe.double.setNextRefundStatus("succeeded");
    expect(mine).toMatchObject({ status: "submitted", providerStatus: "pending" });
    const refund = stripe.double.refund(String(mine.providerRefundId));
    if (!refund) throw new Error("the double lost the refund");
    refund.status = "succeeded";
    expect(await deliver(stripe.double.event("charge.refund.updated", refund))).toMatchObject({
      body: { outcome: "handled", note: expect.stringContaining("updated") },
    });
    const adjustment = await db().paymentAdjustment.findFirstOrThrow({ where: { providerRef: String(refund.id) } });
    expect(adjustment.providerStatus).toBe("succeeded");
    expect(await refundedOf(orderId)).toBe(1200n);
  });

  it("a refund whose answer was lost is settled by its refund.created event, under the request that asked for it", async () => {
    const { w, orderId, intentId } = await paidOrder();
    stripe.double.loseNextAnswer("/v1/refunds");
    await expect(
      refundOrder({
        actor: userActor(w.finance1.id),
        orderId,
        amountMinor: 900,
        reason: "lost answer",
        requestKey: "lost",
      }),
    ).rejects.toMatchObject({ reason: "PROVIDER_UNAVAILABLE" });
    const [refund] = stripe.double.refundsOfIntent(intentId);
    expect(await deliver(stripe.double.event("refund.created", refund))).toMatchObject({
      body: { outcome: "handled" },
    });
    const request = await db().refundRequest.findFirstOrThrow({ where: { orderId, requestKey: "lost" } });
    expect(request).toMatchObject({ status: "submitted", providerRefundId: refund.id });
    // Submitting it again answers the settled refund; no second refund at Stripe.
    const again = await refundOrder({
      actor: userActor(w.finance1.id),
      orderId,
      amountMinor: 900,
      reason: "lost answer",
      requestKey: "lost",
    });
    expect(again).toMatchObject({ status: "submitted", duplicate: true });
    expect(stripe.double.refundsOfIntent(intentId)).toHaveLength(1);
    expect(await refundedOf(orderId)).toBe(900n);
  });

  it("ignores refunds of charges that are not Guildhall's", async () => {
    expect(
      await deliver(stripe.double.event("refund.created", { id: "re_foreign", object: "refund", amount: 100 })),
    ).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(
      await deliver(
        stripe.double.event("charge.refunded", { id: "ch_foreign", object: "charge", payment_intent: "pi_x" }),
      ),
    ).toMatchObject({ status: 200, body: { outcome: "ignored" } });
  });
});
