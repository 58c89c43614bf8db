import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * The provider took a payout transfer back (the connected account was closed,
 * a bank rejected it). The payout item becomes failed and its ledger entry is
 * reversed, so the payee is owed the money again and the next batch pays it.
 * A partial reversal is left to finance: reconciliation shows it.
 */
export const transferReversed: WebhookHandler = {
  async handle(tx, event) {
    const transferId = str(event.object.id);
    const item = transferId ? await tx.payoutItem.findUnique({ where: { providerTransferId: transferId } }) : null;
    if (!item) return { outcome: "ignored", note: "transfer of no payout item" };
    // Transfer ids are unique per provider only: a Stripe-signed event must not touch a simulated payout.
    const payee = item.destination
      ? await tx.payeeAccount.findUnique({ where: { providerAccountId: item.destination }, select: { provider: true } })
      : null;
    if (payee?.provider !== event.provider)
      return { outcome: "ignored", note: `transfer of another provider than ${event.provider}` };
    if (item.status !== "posted" || !item.journalEntryId) return { outcome: "ignored", note: `item is ${item.status}` };
    if (Number(event.object.amount_reversed ?? 0) < Number(item.amountMinor))
      return { outcome: "ignored", note: "partial reversal: see reconciliation" };
    const claimed = await tx.payoutItem.updateMany({
      where: { id: item.id, status: "posted" },
      data: { status: "failed", failureReason: "transfer reversed by the provider" },
    });
    if (claimed.count === 0) return { outcome: "ignored", note: "already failed" };
    const reversalId = await reverseJournalEntry(tx, {
      entryId: item.journalEntryId,
      memo: `payout ${item.id} reversed by the provider`,
    });
    await appendAuditEvent(tx, {
      actor: { type: "system", id: event.provider },
      action: "payout_item.reversed",
      subject: { type: "payout_item", id: item.id },
      state: { status: "failed", reversalId },
      data: { batchId: item.batchId, amountMinor: item.amountMinor.toString(), transferId },
    });
    return { outcome: "handled" };
  },
};
