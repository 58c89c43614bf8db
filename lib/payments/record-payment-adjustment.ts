import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { buildAdjustmentEntry } from "@/lib/payments/build-adjustment-entry";
import { refundableMinor } from "@/lib/money/refundable-amount";
import {
  type AdjustedPayment,
  adjustedPaymentOf,
  auditSubjectOf,
  changeAdjustedTotal,
  lockAdjustedPayment,
} from "@/lib/payments/adjusted-payment";

export type AdjustmentInput = AdjustedPayment & {
  kind: "refund" | "dispute";
  amountMinor: number;
  providerRef: string;
  /** A refund's state at the provider, when known (pending or succeeded: both are money that left). */
  providerStatus?: string;
  actor: Actor;
};

/**
 * Records a refund or a dispute against a paid order (or a funder's payment) in the caller's
 * transaction and posts its proportional reversal of the split. Idempotent by
 * (kind, providerRef): the same refund seen twice (our API call, then the
 * webhook, or both at once) is recorded once: the order's row is locked
 * before the adjustment is looked up, so the second waits and finds the first.
 * Refunds and disputes together never exceed the order's amount. Payees'
 * balances may go negative: the next batch carries it.
 */
export async function recordPaymentAdjustment(tx: Tx, input: AdjustmentInput) {
  const paid = adjustedPaymentOf({ orderId: input.orderId ?? null, fundingPaymentId: input.fundingPaymentId ?? null });
  const order = await lockAdjustedPayment(tx, paid);
  if (!order) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  const existing = await tx.paymentAdjustment.findUnique({
    where: { kind_providerRef: { kind: input.kind, providerRef: input.providerRef } },
  });
  if (existing) return { adjustment: existing, duplicate: true };
  if (!order.paid || !order.saleEntryId)
    throw new AppError("CONFLICT", {
      userMessage: "Only a paid order can be refunded or disputed.",
      reason: "ORDER_NOT_PAID",
    });
  const remaining = refundableMinor(order);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || BigInt(input.amountMinor) > remaining) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: `At most ${remaining} can still be refunded on this order.`,
      reason: "AMOUNT_EXCEEDS_REMAINING",
    });
  }
  const salePostings = await tx.ledgerPosting.findMany({
    where: { entryId: order.saleEntryId },
    orderBy: { id: "asc" },
    select: { accountId: true, amountMinor: true },
  });
  const entry = buildAdjustmentEntry(
    input.kind,
    input.orderId ?? null,
    input.amountMinor,
    salePostings,
    input.orderId ?? input.fundingPaymentId,
  );
  const [entryId] = await postJournalEntries(tx, [entry]);
  const adjustment = await tx.paymentAdjustment.create({
    data: {
      id: newId("adj"),
      orderId: input.orderId ?? null,
      fundingPaymentId: input.fundingPaymentId ?? null,
      kind: input.kind,
      amountMinor: input.amountMinor,
      currency: order.currency,
      providerRef: input.providerRef,
      providerStatus: input.providerStatus ?? null,
      status: "posted",
      journalEntryId: entryId,
    },
  });
  await changeAdjustedTotal(
    tx,
    paid,
    input.kind === "refund" ? "refundedMinor" : "disputedMinor",
    BigInt(input.amountMinor),
  );
  await appendAuditEvent(tx, {
    actor: input.actor,
    action: input.kind === "refund" ? "order.refunded" : "order.disputed",
    subject: auditSubjectOf(paid),
    state: { adjustmentId: adjustment.id, amountMinor: input.amountMinor, entryId },
    data: { amountMinor: input.amountMinor, currency: order.currency, providerRef: input.providerRef, entryId },
  });
  return { adjustment, duplicate: false };
}
