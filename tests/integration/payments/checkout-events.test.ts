import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

const stripe = useStripeDouble({ startWith: "simulated" });
const deliver = stripe.deliver;
const useStripe = stripe.useStripe;

describe("checkout events", () => {
  it("an expired session ends only its own order at its own provider", async () => {
    const w = await seedPaymentsWorld();
    // An order opened under the simulated provider, then Stripe configured.
    const { checkoutId: simulatedOrder } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    useStripe();
    const forged = stripe.double.event("checkout.session.expired", {
      id: "cs_test_other",
      client_reference_id: simulatedOrder,
    });
    expect(await deliver(forged)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: simulatedOrder } })).status).toBe("open");

    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    const wrongSession = stripe.double.event("checkout.session.expired", {
      id: "cs_test_else",
      client_reference_id: checkoutId,
    });
    expect(await deliver(wrongSession)).toMatchObject({ body: { outcome: "ignored" } });
    const own = stripe.double.event("checkout.session.expired", {
      id: order.providerSessionId,
      client_reference_id: checkoutId,
    });
    expect(await deliver(own)).toMatchObject({ body: { outcome: "handled" } });
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } })).status).toBe("expired");
  });

  it("a sale is dated by its charge, not by when its event arrived", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    const session = stripe.double.paySession(String(order.providerSessionId));
    const charge = stripe.double.chargeOfIntent(String(session.payment_intent));
    if (!charge) throw new Error("the double lost the charge");
    // Paid 40 days ago; the event arrives now (Stripe retried it for days).
    const chargedAt = Math.floor(Date.now() / 1000) - 40 * 86_400;
    charge.created = chargedAt;
    expect(await deliver(stripe.double.event("checkout.session.completed", session))).toMatchObject({ status: 200 });
    const paid = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    expect(paid.paidAt?.getTime()).toBe(chargedAt * 1000);
  });

  it("a delayed payment that fails leaves the order open with a fresh session on the next Pay now", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    const input = ticketCheckoutInput(w.theater.org.id, { idempotencyKey: `async-${Date.now()}` });
    const first = await createCheckout(input);
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: first.checkoutId } });
    const failed = stripe.double.event("checkout.session.async_payment_failed", {
      id: order.providerSessionId,
      client_reference_id: first.checkoutId,
      payment_status: "unpaid",
    });
    expect(await deliver(failed)).toMatchObject({ status: 200, body: { outcome: "handled" } });
    expect(await db().paymentOrder.findUniqueOrThrow({ where: { id: first.checkoutId } })).toMatchObject({
      status: "open",
      failureReason: "async_payment_failed",
    });
    const again = await createCheckout(input);
    expect(again.checkoutId).toBe(first.checkoutId);
    expect(again.url).not.toBe(first.url);
  });

  it("a dispute takes money only once its funds are withdrawn, and gives it back when they are reinstated", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    const session = stripe.double.paySession(String(order.providerSessionId));
    await deliver(stripe.double.event("checkout.session.completed", session));
    const dispute = {
      id: `du_${Date.now()}`,
      object: "dispute",
      amount: 5000,
      payment_intent: session.payment_intent,
      status: "warning_needs_response",
    };
    const disputed = async () =>
      (await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } })).disputedMinor;
    expect(await deliver(stripe.double.event("charge.dispute.created", dispute))).toMatchObject({
      body: { outcome: "ignored", note: "an inquiry: no funds withdrawn yet" },
    });
    expect(await disputed()).toBe(0n);
    const chargeback = { ...dispute, status: "needs_response" };
    expect(await deliver(stripe.double.event("charge.dispute.funds_withdrawn", chargeback))).toMatchObject({
      body: { outcome: "handled" },
    });
    expect(await deliver(stripe.double.event("charge.dispute.created", chargeback))).toMatchObject({
      body: { outcome: "ignored" },
    });
    expect(await disputed()).toBe(5000n);
    expect(await deliver(stripe.double.event("charge.dispute.funds_reinstated", chargeback))).toMatchObject({
      body: { outcome: "handled" },
    });
    expect(await disputed()).toBe(0n);
    expect(await deliver(stripe.double.event("charge.dispute.closed", { ...chargeback, status: "won" }))).toMatchObject(
      {
        body: { outcome: "ignored" },
      },
    );
    expect((await checkLedger()).ok).toBe(true);
  });
});
