import "server-only";
import { db } from "@/lib/db/client";
import { markOrderPaid } from "@/lib/payments/mark-order-paid";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal, type PaymentDetails, type ProviderEvent } from "@/lib/payment-provider/provider";
import { RetryLaterError, str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";
import { fundingIdOf } from "@/lib/payments/webhook-handlers/funding-events";
import { postFundingPayment } from "@/lib/payments/post-funding-payment";
import type { Tx } from "@/lib/db/client";

type Context = PaymentDetails | { unconfirmed: string } | null;

function orderIdOf(event: ProviderEvent): string | null {
  if (fundingIdOf(event.object)) return null;
  return (
    str(event.object.client_reference_id) ??
    str((event.object.metadata as Record<string, unknown> | undefined)?.orderId)
  );
}

/**
 * The payment behind the session is fetched before the transaction. If it
 * cannot be, the order is handed to the payments sweep (`reconcileAfter` now),
 * which asks again on its own schedule: a provider that does not answer is a
 * 503 (the provider retries too); one that says the payment does not exist is
 * recorded as ignored with that reason, not a 500 on every retry for days.
 */
async function paymentOf(event: ProviderEvent): Promise<Context> {
  const paymentRef = str(event.object.payment_intent);
  if (event.object.payment_status !== "paid" || !paymentRef) return null;
  try {
    return await providerFor(event.provider).getPaymentDetails(paymentRef);
  } catch (e) {
    const orderId = orderIdOf(event);
    if (orderId)
      await db().paymentOrder.updateMany({
        where: { id: orderId, status: "open" },
        data: { reconcileAfter: new Date() },
      });
    if (e instanceof ProviderRefusal) return { unconfirmed: `${e.code}: ${e.message}` };
    throw new RetryLaterError(
      `payment ${paymentRef} could not be fetched (${e instanceof Error ? e.message : String(e)}); the sweep retries`,
    );
  }
}

/**
 * A funder's checkout completed. A monthly funding's subscription is linked to it (its invoices' `invoice.paid`
 * events post the money); a one-time funding's payment is posted here, once, keyed by the session.
 */
async function fundingCheckoutCompleted(tx: Tx, event: ProviderEvent, fundingId: string, details: Context) {
  const sessionId = str(event.object.id);
  if (!sessionId) return { outcome: "ignored" as const, note: "no session id" };
  if (event.object.mode === "subscription") {
    const subscriptionId = str(event.object.subscription);
    if (!subscriptionId) return { outcome: "ignored" as const, note: "no subscription on the session" };
    const linked = await tx.funding.updateMany({
      where: { id: fundingId, provider: event.provider, providerSubscriptionId: null },
      data: { providerSubscriptionId: subscriptionId },
    });
    return linked.count > 0
      ? { outcome: "handled" as const }
      : { outcome: "ignored" as const, note: "funding unknown or already linked" };
  }
  const paymentRef = str(event.object.payment_intent);
  if (!details || !paymentRef)
    return { outcome: "ignored" as const, note: `payment_status ${String(event.object.payment_status)}` };
  if ("unconfirmed" in details)
    return { outcome: "ignored" as const, note: `payment not confirmed: ${details.unconfirmed}` };
  const { alreadyRecorded } = await postFundingPayment(tx, {
    payment: {
      fundingId,
      provider: event.provider,
      providerRef: sessionId,
      paymentRef,
      amountMinor: Number(event.object.amount_total),
      feeMinor: details.feeMinor,
      currency: String(event.object.currency).toUpperCase(),
      paidAt: details.paidAt,
      periodEnd: null,
      subscriptionId: null,
    },
    actor: { type: "system", id: event.provider },
  });
  return alreadyRecorded
    ? { outcome: "ignored" as const, note: "funding payment already recorded" }
    : { outcome: "handled" as const };
}

/**
 * A checkout was paid: post the sale with its split and fulfil the order. The
 * session must be the order's own at its own provider, or one the order had
 * before (a replaced session): then the payment itself must name the order.
 */
export const checkoutSessionCompleted: WebhookHandler<Context> = {
  prepare: paymentOf,
  async handle(tx, event, details) {
    const fundingId = fundingIdOf(event.object);
    if (fundingId) return fundingCheckoutCompleted(tx, event, fundingId, details);
    const orderId = orderIdOf(event);
    if (!orderId) return { outcome: "ignored", note: "not a Guildhall checkout" };
    // Details are only prepared for a session that names its payment.
    const paymentRef = str(event.object.payment_intent);
    if (!details || !paymentRef)
      return { outcome: "ignored", note: `payment_status ${String(event.object.payment_status)}` };
    if ("unconfirmed" in details)
      return { outcome: "ignored", note: `payment not confirmed, left to the sweep: ${details.unconfirmed}` };
    const order = await tx.paymentOrder.findUnique({
      where: { id: orderId },
      select: { provider: true, providerSessionId: true },
    });
    if (!order) return { outcome: "ignored", note: `unknown order ${orderId}` };
    const ownSession = order.providerSessionId === str(event.object.id);
    if (order.provider !== event.provider || (!ownSession && details.orderId !== orderId))
      return { outcome: "ignored", note: "session does not match the order" };
    const { alreadyPaid } = await markOrderPaid(tx, {
      orderId,
      paymentRef,
      feeMinor: details.feeMinor,
      settlement: details.settlement,
      // The charge's own time, not the event's arrival: a late event must not move the sale into another
      // usage period (host weights) or another day of the books.
      paidAt: details.paidAt,
    });
    return { outcome: alreadyPaid ? "ignored" : "handled", note: alreadyPaid ? "order already paid" : undefined };
  },
};
