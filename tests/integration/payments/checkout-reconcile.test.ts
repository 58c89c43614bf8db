import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { reconcileOpenOrders } from "@/lib/payments/reconcile-open-orders";
import { getCheckoutStatus } from "@/lib/payments/get-checkout-status";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const stripe = useStripeDouble({ startWith: "simulated" });
const deliver = stripe.deliver;
const useStripe = stripe.useStripe;
const useSimulated = stripe.useSimulated;

const order = (id: string) => db().paymentOrder.findUniqueOrThrow({ where: { id } });

describe("no charge without its order", () => {
  it("marks an order paid when the order-paid transaction was lost after the simulated charge", async () => {
    useSimulated();
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    process.env.GUILDHALL_FAIL_AFTER_CHARGES = "1";
    try {
      await expect(
        completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242 4242 4242 4242" }),
      ).rejects.toThrow(/injected fault/);
    } finally {
      delete process.env.GUILDHALL_FAIL_AFTER_CHARGES;
    }
    // The money is taken and the order is open: the state a crash or a dropped connection leaves.
    expect(await db().simulatedProviderObject.count({ where: { kind: "charge", sourceRef: checkoutId } })).toBe(1);
    expect((await order(checkoutId)).status).toBe("open");

    // Before its grace period the sweep leaves it to the request that charged; after it, the sweep settles it.
    expect((await reconcileOpenOrders()).paid).toBe(0);
    expect(await reconcileOpenOrders({ dueBy: minutes(1) })).toMatchObject({ paid: 1, failed: 0 });
    const paid = await order(checkoutId);
    expect(paid).toMatchObject({ status: "paid", reconcileAfter: null });
    expect(paid.saleEntryId).not.toBeNull();
    // The customer's retry finds the order paid and is not charged again.
    expect(await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" })).toMatchObject({
      result: "paid",
    });
    expect(await db().simulatedProviderObject.count({ where: { kind: "charge", sourceRef: checkoutId } })).toBe(1);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("refuses to charge an expired simulated session, and Pay now opens a new one", async () => {
    useSimulated();
    const w = await seedPaymentsWorld();
    const input = ticketCheckoutInput(w.theater.org.id, { idempotencyKey: `pay-${Date.now()}` });
    const { checkoutId } = await createCheckout(input);
    const first = await order(checkoutId);
    await db().simulatedProviderObject.update({
      where: { id: String(first.providerSessionId) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(
      completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "CHECKOUT_EXPIRED",
    });
    expect(await db().simulatedProviderObject.count({ where: { kind: "charge", sourceRef: checkoutId } })).toBe(0);
    await db().paymentOrder.update({ where: { id: checkoutId }, data: { checkoutExpiresAt: new Date() } });
    // The status the API answers names no dead page.
    expect((await getCheckoutStatus(checkoutId, { type: "client", id: "client_test" })).url).toBeNull();
    await createCheckout(input);
    const second = await order(checkoutId);
    expect(second.providerSessionId).not.toBe(first.providerSessionId);
    expect(second.checkoutExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242424242424242" })).toMatchObject({
      result: "paid",
    });

    // An order opened before sessions were kept (its session unknown to the simulated provider, no end
    // recorded) is refused at the test page, and its next checkout request opens a session that pays.
    const legacyInput = ticketCheckoutInput(w.theater.org.id, { idempotencyKey: `legacy-${Date.now()}` });
    const legacy = await createCheckout(legacyInput);
    await db().paymentOrder.update({
      where: { id: legacy.checkoutId },
      data: { providerSessionId: `sim_cs_${legacy.checkoutId}`, checkoutExpiresAt: null },
    });
    await expect(
      completeSimulatedCheckout({ orderId: legacy.checkoutId, cardNumber: "4242424242424242" }),
    ).rejects.toMatchObject({
      reason: "CHECKOUT_EXPIRED",
    });
    await createCheckout(legacyInput);
    expect(
      await completeSimulatedCheckout({ orderId: legacy.checkoutId, cardNumber: "4242424242424242" }),
    ).toMatchObject({ result: "paid" });
  });

  it("finds a Stripe payment whose webhook never came, and the late webhook then acts once", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const session = stripe.double.paySession(String((await order(checkoutId)).providerSessionId));
    expect(await reconcileOpenOrders({ dueBy: minutes(16) })).toMatchObject({ paid: 1 });
    expect((await order(checkoutId)).status).toBe("paid");
    expect(await deliver(stripe.double.event("checkout.session.completed", session))).toMatchObject({
      status: 200,
      body: { outcome: "ignored", note: "order already paid" },
    });
    expect(await db().journalEntry.count({ where: { kind: "sale", orderId: checkoutId } })).toBe(1);
  });

  it("never hands back an expired Stripe session: Pay now expires the old one and opens a new one", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    const input = ticketCheckoutInput(w.theater.org.id, { idempotencyKey: `renew-${Date.now()}` });
    const first = await createCheckout(input);
    const oldSession = String((await order(first.checkoutId)).providerSessionId);
    // A day passes: the stored session is dead, though no expired event has come yet.
    stripe.double.advance(86_400 + 60);
    await db().paymentOrder.update({
      where: { id: first.checkoutId },
      data: { checkoutExpiresAt: new Date(Date.now() - 60_000) },
    });
    const again = await createCheckout(input);
    expect(again.checkoutId).toBe(first.checkoutId);
    expect(again.url).not.toBe(first.url);
    const renewed = await order(first.checkoutId);
    expect(renewed.providerSessionId).not.toBe(oldSession);
    expect(stripe.double.session(oldSession)?.status).toBe("expired");
    // The old session's expired event no longer ends the order; the new session pays it.
    expect(
      await deliver(
        stripe.double.event("checkout.session.expired", { id: oldSession, client_reference_id: first.checkoutId }),
      ),
    ).toMatchObject({ body: { outcome: "ignored" } });
    const paid = stripe.double.paySession(String(renewed.providerSessionId));
    expect(await deliver(stripe.double.event("checkout.session.completed", paid))).toMatchObject({
      body: { outcome: "handled" },
    });
    // A session nobody paid ends its order once the sweep sees it ended, even with its event lost.
    const second = await createCheckout(ticketCheckoutInput(w.theater.org.id, { idempotencyKey: `x-${Date.now()}` }));
    stripe.double.advance(86_400 + 60);
    expect(await reconcileOpenOrders({ dueBy: minutes(60 * 26) })).toMatchObject({ expired: 1 });
    expect((await order(second.checkoutId)).status).toBe("expired");
  });

  it("answers 422 to Stripe's refusal of a checkout, and does not fail for ever on an unknown payment", async () => {
    useStripe();
    const w = await seedPaymentsWorld();
    await expect(
      createCheckout(
        ticketCheckoutInput(w.theater.org.id, { lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor: 30 }] }),
      ),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "PROVIDER_REFUSED" });

    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const sessionId = String((await order(checkoutId)).providerSessionId);
    const forged = {
      id: sessionId,
      client_reference_id: checkoutId,
      payment_status: "paid",
      payment_intent: "pi_gone",
    };
    expect(await deliver(stripe.double.event("checkout.session.completed", forged))).toMatchObject({
      status: 200,
      body: { outcome: "ignored" },
    });
    expect((await order(checkoutId)).reconcileAfter?.getTime()).toBeLessThanOrEqual(Date.now());
    const paid = stripe.double.paySession(sessionId);
    stripe.double.failNext(`/v1/payment_intents/${String(paid.payment_intent)}`, 500, 1);
    expect(await deliver(stripe.double.event("checkout.session.completed", paid))).toMatchObject({ status: 503 });
    expect(await deliver(stripe.double.event("checkout.session.completed", paid))).toMatchObject({
      status: 200,
      body: { outcome: "handled" },
    });
  });
});
