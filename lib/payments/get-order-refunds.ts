import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { refundApprovalThresholdMinor } from "@/lib/payments/refund-approval-threshold";
import { listPaymentRefunds } from "@/lib/payments/list-payment-refunds";

/**
 * An order with its refunds, for the finance order page: what was paid, what
 * went back (and in which state), what requests still hold, and what can
 * still be refunded now. Refunds made outside Guildhall appear from their
 * ledger records.
 */
export async function getOrderRefunds(orderId: string) {
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (!order) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  const { lines, heldMinor } = await listPaymentRefunds({ orderId });
  const refundable = order.status === "paid" ? refundableMinor(order) - heldMinor : 0n;
  return {
    order,
    lines,
    heldMinor,
    refundableNowMinor: refundable > 0n ? refundable : 0n,
    approvalThresholdMinor: refundApprovalThresholdMinor(order.currency),
  };
}
