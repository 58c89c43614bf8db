import "server-only";
import type { Tx } from "@/lib/db/client";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";
import { ProviderRefusal, type ProviderEvent } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import type { AdjustedPayment } from "@/lib/payments/adjusted-payment";
import { RetryLaterError, str } from "@/lib/payments/webhook-handlers/types";

/** The payment a charge-level event names, and the Guildhall order in its metadata (null when none). */
export type PaymentOfEvent = { paymentRef: string; orderId: string | null };

/**
 * Which payment a charge-level event (refund, dispute) concerns, asked of the
 * provider before the transaction: an order's payment carries our order id in
 * its metadata; a funder's payment is found by its reference in the
 * transaction (findPaidPayment). Null when the provider does not know it.
 */
export async function paymentOfEvent(event: ProviderEvent): Promise<PaymentOfEvent | null> {
  const ref =
    str(event.object.payment_intent) ??
    str(event.object.charge) ??
    (str(event.object.object) === "charge" ? str(event.object.id) : null);
  if (!ref) return null;
  try {
    return { paymentRef: ref, orderId: (await providerFor(event.provider).getPaymentDetails(ref)).orderId };
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

/**
 * The paid order, or else the recorded funder's payment (lib/funding), that a refund or dispute takes money
 * back from. Null when neither is ours. A funding's payment not recorded yet is not found: its invoice.paid
 * has not come; a refund is then held until it does (holdRefundUntilPaid). The payment's lock, held to the
 * end of the transaction, orders this lookup against the transaction recording that payment
 * (postFundingPayment), so a refund is either found paid here or held before the payment reads what is held.
 */
export async function findPaidPayment(
  tx: Tx,
  provider: string,
  payment: PaymentOfEvent | null,
): Promise<AdjustedPayment | null> {
  if (!payment) return null;
  const order = await findPaidOrder(tx, payment.orderId);
  if (order) return { orderId: order.id };
  await lockNameForTransaction(tx, advisoryLockNames.providerPayment(provider, payment.paymentRef));
  const funded = await tx.fundingPayment.findFirst({
    where: { provider, paymentRef: payment.paymentRef },
    select: { id: true },
  });
  return funded ? { fundingPaymentId: funded.id } : null;
}
