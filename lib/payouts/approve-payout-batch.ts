import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { requireFinanceUser } from "@/lib/payouts/require-finance-user";
import { limits } from "@/lib/config/limits";
import { auditActorOf, type UserActor } from "@/lib/access/actor";

/**
 * One finance user's approval of a draft batch; the second, by a different
 * finance user, approves the batch. The batch row is locked, so two approvals
 * racing are counted one after the other and a user cannot approve twice.
 * Only a person approves: the two approvals are two people's.
 */
export async function approvePayoutBatch({ actor, batchId }: { actor: UserActor; batchId: string }) {
  const userId = actor.id;
  return db().$transaction(async (tx) => {
    await requireFinanceUser(tx, actor);
    const [row] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status" FROM "PayoutBatch" WHERE "id" = ${batchId} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such payout batch.", reason: "BATCH_NOT_FOUND" });
    if (row.status !== "draft")
      throw new AppError("CONFLICT", {
        userMessage: `This batch is ${row.status}; only a draft can be approved.`,
        reason: "BATCH_NOT_DRAFT",
      });
    const mine = await tx.payoutBatchApproval.findUnique({ where: { batchId_userId: { batchId, userId } } });
    if (mine)
      throw new AppError("CONFLICT", {
        userMessage: "You have already approved this batch; a second finance user must.",
        reason: "ALREADY_APPROVED",
      });
    await tx.payoutBatchApproval.create({ data: { batchId, userId } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "payout_batch.approval_added",
      subject: { type: "payout_batch", id: batchId },
      state: { approvedBy: userId },
      data: { userId },
    });
    const approvals = await tx.payoutBatchApproval.count({ where: { batchId } });
    if (approvals < limits.approvals.payoutBatch) return tx.payoutBatch.findUniqueOrThrow({ where: { id: batchId } });
    const batch = await tx.payoutBatch.update({
      where: { id: batchId },
      data: { status: "approved", approvedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "payout_batch.approved",
      subject: { type: "payout_batch", id: batchId },
      state: { status: "approved", approvals },
      data: { totalMinor: batch.totalMinor.toString(), currency: batch.currency },
    });
    return batch;
  });
}
