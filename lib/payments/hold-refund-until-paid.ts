import "server-only";
import type { Tx } from "@/lib/db/client";
import type { ProviderRefund } from "@/lib/payment-provider/provider";

/**
 * A refund whose payment Guildhall has not recorded (the payment names no order, and no funder's payment
 * with its reference is recorded yet: a funder's invoice.paid can come after the refund's own events) is
 * held with its state as the provider reports it now, in the caller's transaction, which holds the
 * payment's lock (findPaidPayment). A later report of the same refund updates what is held; the
 * transaction that records the payment applies it (postFundingPayment). A refund of a charge that is not
 * Guildhall's stays held and is never applied.
 */
export async function holdRefundUntilPaid(tx: Tx, provider: string, refund: ProviderRefund): Promise<void> {
  if (!refund.paymentRef) return;
  const state = {
    paymentRef: refund.paymentRef,
    amountMinor: BigInt(refund.amountMinor),
    currency: refund.currency,
    status: refund.status,
    refundRequestId: refund.refundRequestId,
  };
  await tx.heldProviderRefund.upsert({
    where: { provider_refundId: { provider, refundId: refund.id } },
    create: { provider, refundId: refund.id, ...state },
    update: state,
  });
}
