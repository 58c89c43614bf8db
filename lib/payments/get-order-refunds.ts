import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { refundApprovalThresholdMinor } from "@/lib/payments/refund-approval-threshold";
import { reservingStatuses } from "@/lib/payments/reserve-refund";

/** One refund as finance sees it: asked for in Guildhall (a request) or made at the provider, or both. */
export type OrderRefundLine = {
  requestId: string | null;
  providerRefundId: string | null;
  amountMinor: bigint;
  /** awaiting_approval | reserved | submitted | failed | rejected, or "made at the provider" for outside refunds. */
  status: string;
  /** The refund's state at the provider (pending, succeeded, failed...), when it reached it. */
  providerStatus: string | null;
  /** True when the ledger entry was undone because the refund failed after it was accepted. */
  reversed: boolean;
  reason: string | null;
  requestedBy: string | null;
  requestedById: string | null;
  approvedBy: string | null;
  failureMessage: string | null;
  createdAt: Date;
};

/**
 * An order with its refunds, for the finance order page: what was paid, what
 * went back (and in which state), what requests still hold, and what can
 * still be refunded now. Refunds made outside Guildhall appear from their
 * ledger records. Names of the finance users are read for display only.
 */
export async function getOrderRefunds(orderId: string) {
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (!order) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  const [requests, adjustments] = await Promise.all([
    db().refundRequest.findMany({ where: { orderId }, orderBy: { createdAt: "desc" } }),
    db().paymentAdjustment.findMany({ where: { orderId, kind: "refund" }, orderBy: { createdAt: "desc" } }),
  ]);
  const userIds = [...new Set(requests.flatMap((r) => [r.requestedById, r.approvedById ?? ""]).filter(Boolean))];
  const users = await db().user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = (id: string | null) => (id ? (users.find((u) => u.id === id)?.name ?? id) : null);
  const adjustmentById = new Map(adjustments.map((a) => [a.id, a]));
  const lines: OrderRefundLine[] = requests.map((r) => {
    const adjustment = r.adjustmentId ? adjustmentById.get(r.adjustmentId) : undefined;
    return {
      requestId: r.id,
      providerRefundId: r.providerRefundId,
      amountMinor: r.amountMinor,
      status: r.status,
      providerStatus: adjustment?.providerStatus ?? null,
      reversed: adjustment?.status === "reversed",
      reason: r.reason,
      requestedBy: nameOf(r.requestedById),
      requestedById: r.requestedById,
      approvedBy: nameOf(r.approvedById),
      failureMessage: r.failureMessage,
      createdAt: r.createdAt,
    };
  });
  const asked = new Set(requests.map((r) => r.adjustmentId));
  for (const a of adjustments.filter((x) => !asked.has(x.id)))
    lines.push({
      requestId: null,
      providerRefundId: a.providerRef,
      amountMinor: a.amountMinor,
      status: "made at the provider",
      providerStatus: a.providerStatus,
      reversed: a.status === "reversed",
      reason: null,
      requestedBy: null,
      requestedById: null,
      approvedBy: null,
      failureMessage: null,
      createdAt: a.createdAt,
    });
  lines.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
  const heldMinor = requests
    .filter((r) => reservingStatuses.includes(r.status))
    .reduce((sum, r) => sum + r.amountMinor, 0n);
  const refundable = order.status === "paid" ? refundableMinor(order) - heldMinor : 0n;
  return {
    order,
    lines,
    heldMinor,
    refundableNowMinor: refundable > 0n ? refundable : 0n,
    approvalThresholdMinor: refundApprovalThresholdMinor(order.currency),
  };
}
