import "server-only";
import type { RefundRequest } from "@/lib/generated/prisma/client";
import { minorUnitsAsNumber } from "@/lib/money/money";

/** What a refund request looks like to finance staff and API callers: no raw row leaves the domain. */
export type RefundView = {
  id: string;
  /** What is refunded: an order, or a funder's payment (exactly one of the two). */
  orderId: string | null;
  fundingPaymentId: string | null;
  amountMinor: number;
  currency: string;
  reason: string;
  status: string;
  providerRefundId: string | null;
  providerStatus: string | null;
  requestedById: string;
  approvedById: string | null;
  failureMessage: string | null;
  createdAt: Date;
  /** True when this answer repeats an earlier submission of the same refund. */
  duplicate: boolean;
};

export function refundView(
  request: RefundRequest,
  providerStatus: string | null = null,
  duplicate = false,
): RefundView {
  return {
    id: request.id,
    orderId: request.orderId,
    fundingPaymentId: request.fundingPaymentId,
    amountMinor: minorUnitsAsNumber(request.amountMinor),
    currency: request.currency,
    reason: request.reason,
    status: request.status,
    providerRefundId: request.providerRefundId,
    providerStatus,
    requestedById: request.requestedById,
    approvedById: request.approvedById,
    failureMessage: request.failureMessage,
    createdAt: request.createdAt,
    duplicate,
  };
}

/** The finance page a refund is seen and decided on: its order's, or its funder's payment's. */
export function refundPagePath(refund: Pick<RefundView, "orderId" | "fundingPaymentId">): string {
  return refund.orderId
    ? `/finance/orders/${refund.orderId}`
    : `/finance/fundings/payments/${String(refund.fundingPaymentId)}`;
}
