import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import type { ProviderRefund } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import {
  type AdjustedPayment,
  adjustedPaymentOf,
  auditSubjectOf,
  changeAdjustedTotal,
  paymentWhere,
} from "@/lib/payments/adjusted-payment";

export type RefundApplied = "recorded" | "updated" | "reversed" | "released" | "unchanged";

/** Refund states in which the money has left (or is leaving) the account: the ledger carries them. */
const moneyLeft = new Set(["pending", "requires_action", "succeeded"]);

/**
 * Brings the ledger to a refund's state as the provider reports it, whoever
 * made the refund (Guildhall, or someone in the provider's dashboard), in the
 * caller's transaction, for a paid order or a funder's payment alike. The state is the provider's current one, fetched
 * before the transaction, so events arriving out of order cannot move it back.
 * - money left, not yet recorded: the refund and its reversal of the split are
 *   recorded, and a Guildhall request it answers is marked submitted;
 * - money left, recorded: only the provider's status is updated;
 * - failed or canceled, recorded: the refund's entry is reversed (payees get
 *   their shares back) and the order's refunded amount goes down;
 * - failed or canceled, never recorded: a Guildhall request waiting for it is
 *   released.
 */
export async function applyProviderRefund(
  tx: Tx,
  { payment: paid, refund, actor }: { payment: AdjustedPayment; refund: ProviderRefund; actor: Actor },
): Promise<RefundApplied> {
  // The Guildhall request a refund answers is one of the same payment's (an order's or a funder's).
  const ofPayment = paymentWhere(paid);
  const recorded = await tx.paymentAdjustment.findUnique({
    where: { kind_providerRef: { kind: "refund", providerRef: refund.id } },
  });
  if (moneyLeft.has(refund.status)) {
    if (recorded) {
      if (recorded.providerStatus === refund.status) return "unchanged";
      await tx.paymentAdjustment.update({ where: { id: recorded.id }, data: { providerStatus: refund.status } });
      return "updated";
    }
    const { adjustment } = await recordPaymentAdjustment(tx, {
      ...paid,
      kind: "refund",
      amountMinor: refund.amountMinor,
      providerRef: refund.id,
      providerStatus: refund.status,
      actor,
    });
    if (refund.refundRequestId)
      await tx.refundRequest.updateMany({
        where: { id: refund.refundRequestId, ...ofPayment, status: "reserved" },
        data: { status: "submitted", providerRefundId: refund.id, adjustmentId: adjustment.id, decidedAt: new Date() },
      });
    return "recorded";
  }
  if (recorded && recorded.status === "posted") return reverseFailedRefund(tx, recorded, refund, actor);
  if (recorded) return "unchanged";
  if (!refund.refundRequestId) return "unchanged";
  const released = await tx.refundRequest.updateMany({
    where: { id: refund.refundRequestId, ...ofPayment, status: "reserved" },
    data: { status: "failed", failureMessage: `the refund ${refund.status} at the provider`, decidedAt: new Date() },
  });
  return released.count > 0 ? "released" : "unchanged";
}

async function reverseFailedRefund(
  tx: Tx,
  adjustment: {
    id: string;
    orderId: string | null;
    fundingPaymentId: string | null;
    amountMinor: bigint;
    journalEntryId: string;
  },
  refund: ProviderRefund,
  actor: Actor,
): Promise<RefundApplied> {
  const claimed = await tx.paymentAdjustment.updateMany({
    where: { id: adjustment.id, status: "posted" },
    data: { status: "reversed", providerStatus: refund.status, closedAt: new Date() },
  });
  if (claimed.count === 0) return "unchanged";
  const reversalEntryId = await reverseJournalEntry(tx, {
    entryId: adjustment.journalEntryId,
    memo: `refund ${refund.id} ${refund.status}`,
  });
  await tx.paymentAdjustment.update({ where: { id: adjustment.id }, data: { reversalEntryId } });
  const paid = adjustedPaymentOf(adjustment);
  await changeAdjustedTotal(tx, paid, "refundedMinor", -adjustment.amountMinor);
  await tx.refundRequest.updateMany({
    where: { adjustmentId: adjustment.id },
    data: { failureMessage: `the refund ${refund.status} at the provider after it was accepted; reversed` },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "order.refund_reversed",
    subject: auditSubjectOf(paid),
    state: { adjustmentId: adjustment.id, reversalEntryId, providerStatus: refund.status },
    data: { amountMinor: minorUnitsAsNumber(adjustment.amountMinor), providerRef: refund.id, reversalEntryId },
  });
  return "reversed";
}
