import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { adjustedPaymentOf } from "@/lib/payments/adjusted-payment";

/**
 * Records the provider's refund for a reserved request, in the caller's
 * transaction: the adjustment (once per provider refund id, whoever records it
 * first: this call or the provider's refund event) and the request submitted.
 */
export async function settleRefundRequest(
  tx: Tx,
  {
    refundRequestId,
    providerRefundId,
    providerStatus,
    actor,
  }: { refundRequestId: string; providerRefundId: string; providerStatus: string; actor: Actor },
) {
  const request = await tx.refundRequest.findUniqueOrThrow({ where: { id: refundRequestId } });
  const { adjustment } = await recordPaymentAdjustment(tx, {
    ...adjustedPaymentOf(request),
    kind: "refund",
    amountMinor: minorUnitsAsNumber(request.amountMinor),
    providerRef: providerRefundId,
    providerStatus,
    actor,
  });
  return tx.refundRequest.update({
    where: { id: refundRequestId },
    data: {
      status: "submitted",
      providerRefundId,
      adjustmentId: adjustment.id,
      decidedAt: request.decidedAt ?? new Date(),
    },
  });
}
