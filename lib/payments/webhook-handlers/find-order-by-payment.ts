import "server-only";
import type { Tx } from "@/lib/db/client";
import { ProviderRefusal, type ProviderEvent } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { RetryLaterError, str } from "@/lib/payments/webhook-handlers/types";

/**
 * Which Guildhall order a charge-level event (refund, dispute) concerns, asked
 * of the provider before the transaction: the payment carries our order id in
 * its metadata. Null when the payment is not ours.
 */
export async function orderIdOfPaymentEvent(event: ProviderEvent): Promise<string | null> {
  const ref =
    str(event.object.payment_intent) ??
    str(event.object.charge) ??
    (str(event.object.object) === "charge" ? str(event.object.id) : null);
  if (!ref) return null;
  try {
    return (await providerFor(event.provider).getPaymentDetails(ref)).orderId;
  } catch (e) {
    if (e instanceof ProviderRefusal) return null;
    throw e;
  }
}

/**
 * The paid order an event concerns. Null when it is not ours; a
 * RetryLaterError when the order exists but its payment is not recorded yet
 * (the completion event is late), since a retry will then find it paid.
 */
export async function findPaidOrder(tx: Tx, orderId: string | null) {
  if (!orderId) return null;
  const order = await tx.paymentOrder.findUnique({ where: { id: orderId }, select: { id: true, status: true } });
  if (!order) return null;
  if (order.status !== "paid") throw new RetryLaterError(`order ${orderId} is ${order.status}, not paid yet`);
  return order;
}
