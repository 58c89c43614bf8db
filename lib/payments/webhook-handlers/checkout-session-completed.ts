import "server-only";
import { db } from "@/lib/db/client";
import { markOrderPaid } from "@/lib/payments/mark-order-paid";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal, type PaymentDetails, type ProviderEvent } from "@/lib/payment-provider/provider";
import { RetryLaterError, str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = PaymentDetails | { unconfirmed: string } | null;

function orderIdOf(event: ProviderEvent): string | null {
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
 * A checkout was paid: post the sale with its split and fulfil the order. The
 * session must be the order's own at its own provider, or one the order had
 * before (a replaced session): then the payment itself must name the order.
 */
export const checkoutSessionCompleted: WebhookHandler<Context> = {
  prepare: paymentOf,
  async handle(tx, event, details) {
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
