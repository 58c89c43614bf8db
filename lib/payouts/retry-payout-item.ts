import "server-only";
import { db } from "@/lib/db/client";
import { AppError, type FailureReason } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { transferPayoutItemEffect } from "@/lib/payouts/transfer-payout-item";
import { requireFinanceUser } from "@/lib/payouts/require-finance-user";
import { auditActorOf, type Actor } from "@/lib/access/actor";
import { retryableBatchStatuses } from "@/lib/payouts/batch-outcome";
import { listPayeesWithoutPayoutAccount } from "@/lib/payouts/list-payees-without-payout-account";

const refused = (userMessage: string, reason: FailureReason) => new AppError("CONFLICT", { userMessage, reason });

/**
 * Sends a failed item's transfer again, once its cause is fixed. Checks, in
 * the transaction that locks the batch and the item:
 * - the user holds FINANCE;
 * - the item failed in a finished batch (not pending: that would pay twice);
 * - the provider never accepted a transfer for it (a reversed transfer is
 *   owed again through the ledger and goes into the next batch instead);
 * - no later batch already holds this payee's balance (it would pay it twice);
 * - the payee now has a payout account, so the retry is not bound to fail.
 * The item goes back to pending with its next attempt number (a new provider
 * idempotency key) and the batch back to executing; the transfer runs in the
 * outbox like the first one.
 */
export async function retryPayoutItem({ actor, ...input }: { actor: Actor; batchId: string; itemId: string }) {
  return db().$transaction(async (tx) => {
    await requireFinanceUser(tx, actor);
    const [batch] = await tx.$queryRaw<
      { status: string; createdAt: Date }[]
    >`SELECT "status", "createdAt" FROM "PayoutBatch" WHERE "id" = ${input.batchId} FOR UPDATE`;
    const [item] = await tx.$queryRaw<
      { status: string; ledgerAccountId: string; providerTransferId: string | null; attempt: number }[]
    >`SELECT "status", "ledgerAccountId", "providerTransferId", "attempt" FROM "PayoutItem"
       WHERE "id" = ${input.itemId} AND "batchId" = ${input.batchId} FOR UPDATE`;
    if (!batch || !item)
      throw new AppError("NOT_FOUND", { userMessage: "No such payout item.", reason: "ITEM_NOT_FOUND" });
    if (item.status !== "failed" || !retryableBatchStatuses.includes(batch.status))
      throw refused("Only a failed transfer of a finished batch can be sent again.", "ITEM_NOT_RETRYABLE");
    if (item.providerTransferId)
      throw refused(
        "The provider took this transfer back; the amount is owed again and goes into the next batch.",
        "TRANSFER_REVERSED",
      );
    const later = await tx.payoutItem.count({
      where: {
        ledgerAccountId: item.ledgerAccountId,
        batchId: { not: input.batchId },
        status: { in: ["pending", "posted"] },
        batch: { createdAt: { gt: batch.createdAt } },
      },
    });
    if (later > 0)
      throw refused("A later batch already holds this payee's balance; it is paid there.", "IN_LATER_BATCH");
    const [unpayable] = await listPayeesWithoutPayoutAccount([item.ledgerAccountId], tx);
    if (unpayable)
      throw refused(
        `${unpayable.name} cannot be paid yet: ${unpayable.reason}. Ask them to connect one on their Payouts page, then retry.`,
        "PAYEE_NOT_CONNECTED",
      );
    const attempt = item.attempt + 1;
    await tx.payoutItem.update({
      where: { id: input.itemId },
      data: { status: "pending", attempt, failureReason: null, failedAt: null },
    });
    await tx.payoutBatch.update({
      where: { id: input.batchId },
      data: { status: "executing", retriedAt: new Date(), completedAt: null },
    });
    await enqueueEffect(
      tx,
      transferPayoutItemEffect,
      { itemId: input.itemId },
      `payout.transfer:${input.itemId}:${attempt}`,
    );
    await appendAuditEvent(tx, {
      actor: auditActorOf(actor),
      action: "payout_item.retried",
      subject: { type: "payout_item", id: input.itemId },
      state: { status: "pending", attempt },
      data: { batchId: input.batchId, attempt },
    });
    return { attempt };
  });
}
