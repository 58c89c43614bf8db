import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { recordStoreRefund, reverseStoreRefund } from "@/lib/payments/record-store-refund";
import { refundRef, storeRefundOf } from "@/lib/app-stores/refund-store-transaction";
import type { StoreName } from "@/lib/app-stores/store-transaction";

async function storeFundingPaymentOrThrow(tx: Tx, store: StoreName, transactionId: string) {
  const payment = await tx.fundingPayment.findUnique({
    where: { provider_providerRef: { provider: store, providerRef: transactionId } },
  });
  if (!payment)
    throw new AppError("NOT_FOUND", { reason: "TRANSACTION_NOT_FOUND", userMessage: "No such store transaction." });
  return payment;
}

/**
 * The store refunded a paid period of a funding bought in the app (Apple's REFUND with its
 * revocationPercentage, Google's voided purchase with what it refunded in all): the reversal a web funding's
 * refund makes (the hosts give back their shares proportionally, the payment's refunded total grows), plus
 * the store's commission on that part given back, as for a store order (recordStoreRefund). Once per refund
 * (its reference is the store's transaction id, and Google's refunded total).
 */
export async function refundStoreFunding(
  tx: Tx,
  input: { store: StoreName; transactionId: string; shareMilli?: number; refundedTotalMinor?: number },
): Promise<{ refunded: boolean }> {
  const payment = await storeFundingPaymentOrThrow(tx, input.store, input.transactionId);
  const refund = storeRefundOf(payment, input);
  if (!refund) return { refunded: false };
  const { duplicate } = await recordStoreRefund(tx, {
    fundingPaymentId: payment.id,
    ...refund,
    actor: { type: "system", id: input.store },
  });
  return { refunded: !duplicate };
}

/** The store took its refund of a funding's period back (Apple's REFUND_REVERSED): the hosts are owed it again. */
export async function reverseStoreFundingRefund(
  tx: Tx,
  input: { store: StoreName; transactionId: string },
): Promise<{ reversed: boolean }> {
  await storeFundingPaymentOrThrow(tx, input.store, input.transactionId);
  const outcome = await reverseStoreRefund(tx, {
    providerRef: refundRef(input.store, input.transactionId),
    actor: {
      type: "system",
      id: input.store,
    },
  });
  return { reversed: outcome === "reversed" };
}
