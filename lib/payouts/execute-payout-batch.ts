import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { transferPayoutItemEffect } from "@/lib/payouts/transfer-payout-item";
import { requireFinanceUser } from "@/lib/payouts/require-finance-user";
import { auditActorOf, type Actor } from "@/lib/access/actor";

/**
 * Starts paying an approved batch: one outbox job per item, keyed by the item,
 * enqueued in the transaction that moves the batch to executing. The outbox
 * delivers them after commit (lib/payouts/transfer-payout-item.ts). A second
 * execution, concurrent or later, finds the batch executing and is refused.
 * `reason` is what the finance user typed to confirm; it goes into the audit.
 */
export async function executePayoutBatch({
  actor,
  batchId,
  reason,
}: {
  actor: Actor;
  batchId: string;
  reason?: string;
}) {
  return db().$transaction(async (tx) => {
    await requireFinanceUser(tx, actor);
    const [row] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status" FROM "PayoutBatch" WHERE "id" = ${batchId} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such payout batch.", reason: "BATCH_NOT_FOUND" });
    if (row.status !== "approved") {
      throw new AppError("CONFLICT", {
        userMessage: `This batch is ${row.status}; only an approved batch can be executed.`,
        reason: row.status === "draft" ? "BATCH_NOT_APPROVED" : "BATCH_ALREADY_EXECUTED",
      });
    }
    const items = await tx.payoutItem.findMany({ where: { batchId, status: "pending" }, select: { id: true } });
    for (const item of items)
      await enqueueEffect(tx, transferPayoutItemEffect, { itemId: item.id }, `payout.transfer:${item.id}`);
    const batch = await tx.payoutBatch.update({
      where: { id: batchId },
      data: { status: "executing", executedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "payout_batch.executing",
      subject: { type: "payout_batch", id: batchId },
      state: { status: "executing", items: items.length },
      data: { items: items.length, ...(reason ? { reason } : {}) },
    });
    return batch;
  });
}
