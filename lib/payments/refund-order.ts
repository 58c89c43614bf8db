import "server-only";
import type { UserActor } from "@/lib/access/actor";
import type { RefundSubmission } from "@/lib/payments/reserve-refund";
import { refundPayment } from "@/lib/payments/refund-payment";
import type { RefundView } from "@/lib/payments/refund-view";

/** Refunds part or all of a paid order (finance): refundPayment, for an order. */
export function refundOrder({
  orderId,
  ...input
}: { actor: UserActor; orderId: string } & Omit<RefundSubmission, "payment">): Promise<RefundView> {
  return refundPayment({ ...input, payment: { orderId } });
}
