import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import {
  type AdjustedPayment,
  adjustedPaymentOf,
  auditSubjectOf,
  changeAdjustedTotal,
} from "@/lib/payments/adjusted-payment";

/** The id of the entry that gives a store's commission back on a refund: one per refund adjustment. */
const commissionReturnEntryId = (adjustmentId: string) => `je_commission_${adjustmentId}`;

/**
 * A store refunded (part of) a purchase: an order, or a funder's payment of a funding bought in the app. The
 * refund itself is the web refund's: recordPaymentAdjustment, idempotent by its reference, reverses the split
 * proportionally. Unlike a card processor, a store also gives back its commission on the refunded part, so a
 * second entry moves that part of the fee back into clearing: after a full refund the store owes nothing and
 * the org bears no fee, as the store's own report shows.
 */
export async function recordStoreRefund(
  tx: Tx,
  input: AdjustedPayment & { amountMinor: number; providerRef: string; actor: Actor },
) {
  const result = await recordPaymentAdjustment(tx, { ...input, kind: "refund" });
  if (result.duplicate) return result;
  const paid = input.orderId
    ? await tx.paymentOrder.findUniqueOrThrow({
        where: { id: input.orderId },
        select: { amountMinor: true, feeMinor: true, currency: true },
      })
    : await tx.fundingPayment.findUniqueOrThrow({
        where: { id: input.fundingPaymentId },
        select: { amountMinor: true, feeMinor: true, currency: true },
      });
  const commissionBack = (paid.feeMinor * BigInt(input.amountMinor)) / paid.amountMinor;
  if (commissionBack > 0n) {
    await postJournalEntries(tx, [
      {
        id: commissionReturnEntryId(result.adjustment.id),
        kind: "refund",
        orderId: input.orderId ?? null,
        memo: `store commission returned on refund ${input.providerRef}`,
        postings: [
          { kind: "processor_clearing", currency: paid.currency, amountMinor: commissionBack },
          { kind: "processor_fees", currency: paid.currency, amountMinor: -commissionBack },
        ],
      },
    ]);
  }
  return result;
}

/**
 * The store took back a refund it had granted (Apple's REFUND_REVERSED): the
 * refund's entries are reversed, the payment's refunded amount goes down, and
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
  if (!refund) return "unknown";
  const paid = adjustedPaymentOf(refund);
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
  await changeAdjustedTotal(tx, paid, "refundedMinor", -refund.amountMinor);
  await appendAuditEvent(tx, {
    actor,
    action: "order.refund_reversed",
    subject: auditSubjectOf(paid),
    state: { adjustmentId: refund.id, status: "reversed", reversals },
    data: { amountMinor: minorUnitsAsNumber(refund.amountMinor), providerRef, reversals },
  });
  return "reversed";
}
