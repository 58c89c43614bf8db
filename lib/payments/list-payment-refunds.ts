import "server-only";
import { db } from "@/lib/db/client";
import { reservingStatuses } from "@/lib/payments/reserve-refund";
import { type AdjustedPayment, paymentWhere } from "@/lib/payments/adjusted-payment";

/** One refund as finance sees it: asked for in Guildhall (a request) or made at the provider, or both. */
export type RefundLine = {
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
 * The refunds of a paid order or a funder's payment, newest first, for finance's page of it: those asked
 * for in Guildhall (with who asked and approved, read for display only) and those made at the provider
 * (from their ledger records), and what the requests on their way still hold.
 */
export async function listPaymentRefunds(payment: AdjustedPayment) {
  const where = paymentWhere(payment);
  const [requests, adjustments] = await Promise.all([
    db().refundRequest.findMany({ where, orderBy: { createdAt: "desc" } }),
    db().paymentAdjustment.findMany({ where: { ...where, kind: "refund" }, orderBy: { createdAt: "desc" } }),
  ]);
  const userIds = [...new Set(requests.flatMap((r) => [r.requestedById, r.approvedById ?? ""]).filter(Boolean))];
  const users = await db().user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = (id: string | null) => (id ? (users.find((u) => u.id === id)?.name ?? id) : null);
  const adjustmentById = new Map(adjustments.map((a) => [a.id, a]));
  const lines: RefundLine[] = requests.map((r) => {
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
  return { lines, heldMinor };
}
