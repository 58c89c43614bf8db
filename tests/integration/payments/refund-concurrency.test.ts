import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { userActor } from "@/lib/access/actor";
import { createCheckout } from "@/lib/payments/create-checkout";
import { completeSimulatedCheckout } from "@/lib/payments/complete-simulated-checkout";
import { refundOrder } from "@/lib/payments/refund-order";
import { REFUND_STALLED_AFTER_MS, resumeStalledRefunds } from "@/lib/payments/resume-stalled-refunds";
import { decideRefundApproval } from "@/lib/payments/decide-refund-approval";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { useStripeDouble } from "../../support/stripe-testbed";
import { seedPaymentsWorld, ticketCheckoutInput } from "../../support/payments-factories";
import { seedUser } from "../../support/factories";

// Six refunds at once on one 5,000 order: together they ask for 11,200.
const amounts = [1000, 1500, 2000, 2500, 3000, 1200];

async function simulatedPaidOrder() {
  const w = await seedPaymentsWorld();
  const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
  await completeSimulatedCheckout({ orderId: checkoutId, cardNumber: "4242 4242 4242 4242" });
  return { w, orderId: checkoutId };
}

function settledOutcomes(results: PromiseSettledResult<{ amountMinor: number; status: string }>[]) {
  const granted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.amountMinor] : []));
  const refusals = results.flatMap((r) =>
    r.status === "rejected" ? [r.reason as { code: string; reason: string }] : [],
  );
  return { granted, refusals };
}

async function simulatedRefundsAtProvider(orderId: string) {
  const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } });
  const rows = await db().simulatedProviderObject.findMany({
    where: { kind: "refund", sourceRef: order.providerPaymentRef },
  });
  return rows.reduce((s, r) => s + Number(r.amountMinor), 0);
}

describe("refunds at once, on the simulated provider", () => {
  it("never refund more than the order, at the provider or in the ledger, and agree with each other", async () => {
    const { w, orderId } = await simulatedPaidOrder();
    const actor = userActor(w.finance1.id);
    const results = await Promise.allSettled(
      amounts.map((amountMinor, i) =>
        refundOrder({ actor, orderId, amountMinor, reason: "race", requestKey: `k${i}` }),
      ),
    );
    const { granted, refusals } = settledOutcomes(results);
    expect(refusals.every((e) => e.code === "UNPROCESSABLE" && e.reason === "AMOUNT_EXCEEDS_REMAINING")).toBe(true);
    const grantedTotal = granted.reduce((s, a) => s + a, 0);
    expect(grantedTotal).toBeLessThanOrEqual(5000);
    expect(await simulatedRefundsAtProvider(orderId)).toBe(grantedTotal);
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(Number(order.refundedMinor)).toBe(grantedTotal);
    // Nothing is left holding a reservation.
    expect(await db().refundRequest.count({ where: { orderId, status: "reserved" } })).toBe(0);
    expect((await checkLedger()).ok).toBe(true);
  });

  it("answers the same submission twice with the first refund, never a second refund or a 500", async () => {
    const { w, orderId } = await simulatedPaidOrder();
    const actor = userActor(w.finance1.id);
    const submission = { orderId, amountMinor: 700, reason: "double click", requestKey: "same-form" };
    const both = await Promise.allSettled([
      refundOrder({ actor, ...submission }),
      refundOrder({ actor, ...submission }),
    ]);
    for (const r of both) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", reason: "REFUND_IN_PROGRESS" });
    }
    const again = await refundOrder({ actor, ...submission });
    expect(again).toMatchObject({ status: "submitted", amountMinor: 700, duplicate: true });
    expect(await simulatedRefundsAtProvider(orderId)).toBe(700);
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor).toBe(700n);
    // The same key with another amount is a clear conflict, not a second refund.
    await expect(refundOrder({ actor, ...submission, amountMinor: 800 })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "REFUND_KEY_REUSED",
    });
  });

  it("refuses a user who is not in finance, and a refund above what is left, changing nothing", async () => {
    const { w, orderId } = await simulatedPaidOrder();
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    await expect(
      refundOrder({
        actor: userActor(member.id),
        orderId,
        amountMinor: 100,
        reason: "not mine",
        requestKey: "intruder",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      refundOrder({
        actor: userActor(w.finance1.id),
        orderId,
        amountMinor: 5001,
        reason: "too much",
        requestKey: "big",
      }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "AMOUNT_EXCEEDS_REMAINING" });
    expect(await db().refundRequest.count({ where: { orderId } })).toBe(0);
    expect(await simulatedRefundsAtProvider(orderId)).toBe(0);
  });
});

describe("a refund above the approval threshold", () => {
  it("waits for a second finance user, holding its amount; the asker cannot approve it; declined, it is released", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId: orderId } = await createCheckout(
      ticketCheckoutInput(w.theater.org.id, { lineItems: [{ name: "Box", quantity: 1, unitAmountMinor: 90_000 }] }),
    );
    await completeSimulatedCheckout({ orderId, cardNumber: "4242 4242 4242 4242" });
    const asker = userActor(w.finance1.id);
    const big = await refundOrder({
      actor: asker,
      orderId,
      amountMinor: 60_000,
      reason: "event cancelled",
      requestKey: "big",
    });
    expect(big).toMatchObject({ status: "awaiting_approval", providerRefundId: null });
    expect(await simulatedRefundsAtProvider(orderId)).toBe(0);
    // Its amount is held: what is left is 30,000.
    await expect(
      refundOrder({ actor: asker, orderId, amountMinor: 30_001, reason: "more", requestKey: "more" }),
    ).rejects.toMatchObject({ reason: "AMOUNT_EXCEEDS_REMAINING" });
    await expect(decideRefundApproval({ actor: asker, refundRequestId: big.id, approve: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "SAME_APPROVER",
    });
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    await expect(
      decideRefundApproval({ actor: userActor(member.id), refundRequestId: big.id, approve: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const approved = await decideRefundApproval({
      actor: userActor(w.finance2.id),
      refundRequestId: big.id,
      approve: true,
    });
    expect(approved).toMatchObject({ status: "submitted", approvedById: w.finance2.id, providerStatus: "succeeded" });
    expect(await simulatedRefundsAtProvider(orderId)).toBe(60_000);
    await expect(
      decideRefundApproval({ actor: userActor(w.finance2.id), refundRequestId: big.id, approve: false }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "REFUND_ALREADY_DECIDED" });

    const second = await refundOrder({
      actor: asker,
      orderId,
      amountMinor: 30_000,
      reason: "rest",
      requestKey: "rest",
    });
    expect(second.status).toBe("submitted"); // 300.00 EUR: under the bar
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(order.refundedMinor).toBe(90_000n);
  });

  it("declined, releases what it held", async () => {
    const w = await seedPaymentsWorld();
    const { checkoutId: orderId } = await createCheckout(
      ticketCheckoutInput(w.theater.org.id, { lineItems: [{ name: "Box", quantity: 1, unitAmountMinor: 90_000 }] }),
    );
    await completeSimulatedCheckout({ orderId, cardNumber: "4242 4242 4242 4242" });
    const big = await refundOrder({
      actor: userActor(w.finance1.id),
      orderId,
      amountMinor: 90_000,
      reason: "all of it",
      requestKey: "all",
    });
    const declined = await decideRefundApproval({
      actor: userActor(w.finance2.id),
      refundRequestId: big.id,
      approve: false,
      note: "not agreed with the theater",
    });
    expect(declined).toMatchObject({ status: "rejected", failureMessage: "not agreed with the theater" });
    const small = await refundOrder({
      actor: userActor(w.finance1.id),
      orderId,
      amountMinor: 40_000,
      reason: "part",
      requestKey: "part",
    });
    expect(small.status).toBe("submitted");
    expect(await simulatedRefundsAtProvider(orderId)).toBe(40_000);
  });
});

describe("refunds at once, on Stripe (the real SDK against the double)", () => {
  const stripe = useStripeDouble();

  async function stripePaidOrder() {
    const w = await seedPaymentsWorld();
    const { checkoutId } = await createCheckout(ticketCheckoutInput(w.theater.org.id));
    const order = await db().paymentOrder.findUniqueOrThrow({ where: { id: checkoutId } });
    const session = stripe.double.paySession(String(order.providerSessionId));
    expect(await stripe.deliver(stripe.double.event("checkout.session.completed", session))).toMatchObject({
      status: 200,
    });
    return { w, orderId: checkoutId, intentId: String(session.payment_intent) };
  }

  it("six refunds at once: Stripe and the ledger hold the same total, never above the order", async () => {
    const { w, orderId, intentId } = await stripePaidOrder();
    const actor = userActor(w.finance1.id);
    const results = await Promise.allSettled(
      amounts.map((amountMinor, i) =>
        refundOrder({ actor, orderId, amountMinor, reason: "race", requestKey: `s${i}` }),
      ),
    );
    const { granted, refusals } = settledOutcomes(results);
    expect(refusals.every((e) => e.reason === "AMOUNT_EXCEEDS_REMAINING")).toBe(true);
    const atStripe = stripe.double.refundsOfIntent(intentId).reduce((s, r) => s + Number(r.amount), 0);
    const grantedTotal = granted.reduce((s, a) => s + a, 0);
    expect(atStripe).toBe(grantedTotal);
    expect(atStripe).toBeLessThanOrEqual(5000);
    expect(Number((await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor)).toBe(
      atStripe,
    );
    // Each refund names Guildhall's request in its metadata, so its events can be matched to it.
    for (const r of stripe.double.refundsOfIntent(intentId))
      expect((r.metadata as Record<string, string>).guildhallRefundRequestId).toMatch(/^rfd_/);
  });

  it("a refusal releases the reservation; a lost answer keeps it until the same refund is sent again", async () => {
    const { w, orderId, intentId } = await stripePaidOrder();
    const actor = userActor(w.finance1.id);
    stripe.double.failNext("/v1/refunds", 500);
    await expect(
      refundOrder({ actor, orderId, amountMinor: 4000, reason: "show cancelled", requestKey: "lost" }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE", reason: "PROVIDER_UNAVAILABLE" });
    // Held: another refund cannot take the same money while the first one's fate is unknown.
    await expect(
      refundOrder({ actor, orderId, amountMinor: 2000, reason: "other", requestKey: "other" }),
    ).rejects.toMatchObject({ reason: "AMOUNT_EXCEEDS_REMAINING" });
    // Sent again at once: still on its way. After it stalled: sent again under the same provider key, once.
    await expect(
      refundOrder({ actor, orderId, amountMinor: 4000, reason: "show cancelled", requestKey: "lost" }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "REFUND_IN_PROGRESS" });
    await db().refundRequest.updateMany({
      where: { orderId, requestKey: "lost" },
      data: { createdAt: new Date(Date.now() - 60_000) },
    });
    const finished = await refundOrder({
      actor: actor,
      orderId,
      amountMinor: 4000,
      reason: "show cancelled",
      requestKey: "lost",
    });
    expect(finished).toMatchObject({ status: "submitted", amountMinor: 4000 });
    expect(stripe.double.refundsOfIntent(intentId)).toHaveLength(1);

    // Stripe refuses what is above the charge (here: its own count, as if refunded elsewhere): released.
    const charge = stripe.double.chargeOfIntent(intentId);
    if (!charge) throw new Error("the double lost the charge");
    charge.amount_refunded = 5000;
    await expect(
      refundOrder({ actor, orderId, amountMinor: 1000, reason: "rest", requestKey: "refused" }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE", reason: "PROVIDER_REFUSED" });
    expect(await db().refundRequest.findFirstOrThrow({ where: { orderId, requestKey: "refused" } })).toMatchObject({
      status: "failed",
    });
    expect(await db().refundRequest.count({ where: { orderId, status: "reserved" } })).toBe(0);
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor).toBe(4000n);
  });

  it("the payments sweep records a refund whose answer was lost when nobody sends it again", async () => {
    const { w, orderId, intentId } = await stripePaidOrder();
    const actor = userActor(w.finance1.id);
    // Stripe refunds, but its answer never comes back; nobody submits the refund again.
    stripe.double.loseNextAnswer("/v1/refunds");
    await expect(
      refundOrder({ actor, orderId, amountMinor: 1500, reason: "seat broken", requestKey: "nobody-resends" }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(stripe.double.refundsOfIntent(intentId)).toHaveLength(1);
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor).toBe(0n);
    // Not yet stalled: the sweep leaves it to its submitter.
    expect(await resumeStalledRefunds()).toMatchObject({ submitted: 0 });
    const later = new Date(Date.now() + REFUND_STALLED_AFTER_MS);
    expect(await resumeStalledRefunds({ stalledBefore: later })).toMatchObject({ submitted: 1, failed: 0 });
    expect(await resumeStalledRefunds({ stalledBefore: later })).toMatchObject({ submitted: 0 });
    expect(stripe.double.refundsOfIntent(intentId)).toHaveLength(1);
    expect(
      await db().refundRequest.findFirstOrThrow({ where: { orderId, requestKey: "nobody-resends" } }),
    ).toMatchObject({ status: "submitted" });
    expect((await db().paymentOrder.findUniqueOrThrow({ where: { id: orderId } })).refundedMinor).toBe(1500n);
    expect((await checkLedger()).ok).toBe(true);
  });
});
