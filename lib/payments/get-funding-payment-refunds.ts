import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { refundApprovalThresholdMinor } from "@/lib/payments/refund-approval-threshold";
import { listPaymentRefunds } from "@/lib/payments/list-payment-refunds";

/**
 * A funder's payment with its refunds, for finance's page of it (as getOrderRefunds is for an order): what
 * it funds, what was paid, refunded and disputed, what requests on their way hold, and what can still be
 * refunded now. The funder is named only as the line's page names them (their public name, or nobody).
 */
export async function getFundingPaymentRefunds(fundingPaymentId: string) {
  const payment = await db().fundingPayment.findUnique({
    where: { id: fundingPaymentId },
    include: { funding: true },
  });
  if (!payment)
    throw new AppError("NOT_FOUND", { userMessage: "No such funding payment.", reason: "FUNDING_PAYMENT_NOT_FOUND" });
  const { funding } = payment;
  const target = funding.releaseLineId
    ? await db().releaseLine.findUnique({ where: { id: funding.releaseLineId }, select: { name: true } })
    : await db().organization.findUnique({ where: { id: funding.hostOrgId ?? "" }, select: { name: true } });
  const { lines, heldMinor } = await listPaymentRefunds({ fundingPaymentId });
  const refundable = refundableMinor(payment) - heldMinor;
  return {
    payment,
    target: {
      kind: funding.releaseLineId ? ("release_line" as const) : ("host" as const),
      name: target?.name ?? "(gone)",
    },
    funding: { id: funding.id, interval: funding.interval, status: funding.status, publicName: funding.publicName },
    lines,
    heldMinor,
    refundableNowMinor: refundable > 0n ? refundable : 0n,
    approvalThresholdMinor: refundApprovalThresholdMinor(payment.currency),
  };
}
