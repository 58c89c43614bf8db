import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";

/** The id of the entry that gives a store's commission back on a refund: one per refund adjustment. */
const commissionReturnEntryId = (adjustmentId: string) => `je_commission_${adjustmentId}`;

/**
 * A store refunded (part of) a purchase. The refund itself is the web
 * refund's: recordPaymentAdjustment, idempotent by its reference, reverses
 * the split proportionally. Unlike a card processor, a store also gives back
 * its commission on the refunded part, so a second entry moves that part of
 * the fee back into clearing: after a full refund the store owes nothing and
 * the org bears no fee, as the store's own report shows.
 */
export async function recordStoreRefund(
  tx: Tx,
  input: { orderId: string; amountMinor: number; providerRef: string; actor: Actor },
) {
  const result = await recordPaymentAdjustment(tx, { ...input, kind: "refund" });
  if (result.duplicate) return result;
  const order = await tx.paymentOrder.findUniqueOrThrow({
    where: { id: input.orderId },
    select: { amountMinor: true, feeMinor: true, currency: true },
  });
  const commissionBack = (order.feeMinor * BigInt(input.amountMinor)) / order.amountMinor;
  if (commissionBack > 0n) {
    await postJournalEntries(tx, [
      {
        id: commissionReturnEntryId(result.adjustment.id),
        kind: "refund",
        orderId: input.orderId,
        memo: `store commission returned on refund ${input.providerRef}`,
        postings: [
          { kind: "processor_clearing", currency: order.currency, amountMinor: commissionBack },
          { kind: "processor_fees", currency: order.currency, amountMinor: -commissionBack },
        ],
      },
    ]);
  }
  return result;
}

/**
 * The store took back a refund it had granted (Apple's REFUND_REVERSED): the
 * refund's entries are reversed, the order's refunded amount goes down, and
 * the adjustment is marked reversed. Idempotent: a refund already reversed,
 * or unknown, changes nothing.
 */
export async function reverseStoreRefund(
  tx: Tx,
  { providerRef, actor }: { providerRef: string; actor: Actor },
): Promise<"reversed" | "unknown" | "already_reversed"> {
  const refund = await tx.paymentAdjustment.findUnique({
    where: { kind_providerRef: { kind: "refund", providerRef } },
  });
  // A store refunds only its own orders, never a funder's payment.
  if (!refund?.orderId) return "unknown";
  const orderId = refund.orderId;
  const claimed = await tx.paymentAdjustment.updateMany({
    where: { id: refund.id, status: "posted" },
    data: { status: "reversed", closedAt: new Date() },
  });
  if (claimed.count === 0) return "already_reversed";
  const reversals = [
    await reverseJournalEntry(tx, {
      entryId: refund.journalEntryId,
      memo: `refund ${providerRef} reversed by the store`,
    }),
  ];
  const commissionEntry = await tx.journalEntry.findUnique({
    where: { id: commissionReturnEntryId(refund.id) },
    select: { id: true },
  });
  if (commissionEntry)
    reversals.push(
      await reverseJournalEntry(tx, {
        entryId: commissionEntry.id,
        memo: `refund ${providerRef} reversed by the store`,
      }),
    );
  await tx.paymentOrder.update({
    where: { id: orderId },
    data: { refundedMinor: { decrement: refund.amountMinor } },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "order.refund_reversed",
    subject: { type: "order", id: orderId },
    state: { adjustmentId: refund.id, status: "reversed", reversals },
    data: { amountMinor: minorUnitsAsNumber(refund.amountMinor), providerRef, reversals },
  });
  return "reversed";
}
