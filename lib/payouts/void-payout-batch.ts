import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { requireFinanceUser } from "@/lib/payouts/require-finance-user";
import { auditActorOf, type Actor } from "@/lib/access/actor";

/**
 * Withdraws a batch before it is executed; its items are voided and the
 * balances stay owed. `reason` is what the finance user typed to confirm.
 */
export async function voidPayoutBatch({ actor, batchId, reason }: { actor: Actor; batchId: string; reason?: string }) {
  return db().$transaction(async (tx) => {
    await requireFinanceUser(tx, actor);
    const [row] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status" FROM "PayoutBatch" WHERE "id" = ${batchId} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such payout batch.", reason: "BATCH_NOT_FOUND" });
    if (row.status !== "draft" && row.status !== "approved")
      throw new AppError("CONFLICT", {
        userMessage: `A ${row.status} batch cannot be voided.`,
        reason: "BATCH_NOT_VOIDABLE",
      });
    await tx.payoutItem.updateMany({ where: { batchId, status: "pending" }, data: { status: "voided" } });
    const batch = await tx.payoutBatch.update({
      where: { id: batchId },
      data: { status: "voided", completedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "payout_batch.voided",
      subject: { type: "payout_batch", id: batchId },
      state: { status: "voided" },
      ...(reason ? { data: { reason } } : {}),
    });
    return batch;
  });
}
