import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { assertPermitted } from "@/lib/access/permission";
import type { UserActor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { submitRefund } from "@/lib/payments/submit-refund";
import { adjustedPaymentOf, auditSubjectOf } from "@/lib/payments/adjusted-payment";
import { refundView, type RefundView } from "@/lib/payments/refund-view";

export type RefundApprovalDecision = { refundRequestId: string; approve: boolean; note?: string };

/**
 * A second finance user approves or declines a refund above the approval
 * threshold. Checks: the actor is a finance user; the request exists and
 * still awaits approval (a decision is taken once: the row is claimed with a
 * conditional update); the approver is not the person who asked for it.
 * Approved, the refund goes to the provider at once (submitRefund); declined,
 * its reservation is released.
 */
export async function decideRefundApproval({
  actor,
  ...input
}: { actor: UserActor } & RefundApprovalDecision): Promise<RefundView> {
  const request = await db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "FINANCE" }, { userMessage: "Only finance users can approve refunds." });
    const pending = await tx.refundRequest.findUnique({ where: { id: input.refundRequestId } });
    if (!pending) throw new AppError("NOT_FOUND", { userMessage: "No such refund.", reason: "REFUND_NOT_FOUND" });
    if (pending.requestedById === actor.id)
      throw new AppError("FORBIDDEN", {
        userMessage: "Another finance user must approve a refund you asked for.",
        reason: "SAME_APPROVER",
      });
    const claimed = await tx.refundRequest.updateMany({
      where: { id: pending.id, status: "awaiting_approval" },
      data: input.approve
        ? { status: "reserved", approvedById: actor.id }
        : {
            status: "rejected",
            approvedById: actor.id,
            decidedAt: new Date(),
            failureMessage: input.note?.slice(0, 500) ?? "declined",
          },
    });
    if (claimed.count === 0)
      throw new AppError("CONFLICT", {
        userMessage: "This refund no longer awaits approval.",
        reason: "REFUND_ALREADY_DECIDED",
      });
    await appendAuditEvent(tx, {
      actor,
      action: input.approve ? "order.refund_approved" : "order.refund_declined",
      subject: auditSubjectOf(adjustedPaymentOf(pending)),
      state: { refundRequestId: pending.id, status: input.approve ? "reserved" : "rejected" },
      data: { amountMinor: minorUnitsAsNumber(pending.amountMinor), note: input.note ?? null },
    });
    return tx.refundRequest.findUniqueOrThrow({ where: { id: pending.id } });
  });
  return input.approve ? submitRefund({ refundRequestId: request.id, actor }) : refundView(request);
}
