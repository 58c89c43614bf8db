import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { adjustedPaymentOf, auditSubjectOf, changeAdjustedTotal } from "@/lib/payments/adjusted-payment";

/**
 * A dispute's outcome, of an order or a funder's payment. Won: the money comes back, so the dispute's entry is
 * reversed (payees get their shares again). Lost: the entry stands. Idempotent.
 */
export async function closeDispute(
  tx: Tx,
  { providerRef, won, actor }: { providerRef: string; won: boolean; actor: Actor },
): Promise<"closed" | "unknown" | "already_closed"> {
  const dispute = await tx.paymentAdjustment.findUnique({
    where: { kind_providerRef: { kind: "dispute", providerRef } },
  });
  if (!dispute) return "unknown";
  if (dispute.status !== "posted") return "already_closed";
  const claimed = await tx.paymentAdjustment.updateMany({
    where: { id: dispute.id, status: "posted" },
    data: { status: won ? "won" : "lost", closedAt: new Date() },
  });
  if (claimed.count === 0) return "already_closed";
  let reversalId: string | null = null;
  if (won) {
    reversalId = await reverseJournalEntry(tx, { entryId: dispute.journalEntryId, memo: `dispute ${providerRef} won` });
    await changeAdjustedTotal(tx, adjustedPaymentOf(dispute), "disputedMinor", -dispute.amountMinor);
  }
  await appendAuditEvent(tx, {
    actor,
    action: won ? "order.dispute_won" : "order.dispute_lost",
    subject: auditSubjectOf(adjustedPaymentOf(dispute)),
    state: { adjustmentId: dispute.id, won, reversalId },
    data: { amountMinor: minorUnitsAsNumber(dispute.amountMinor), providerRef, reversalId },
  });
  return "closed";
}
