import "server-only";
import type { Tx } from "@/lib/db/client";
import { newSortableId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { buildSaleEntry } from "@/lib/payments/build-sale-entry";
import { orderFulfillerFor } from "@/lib/payments/order-fulfillers";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import { getHostWeights } from "@/lib/splits/get-host-weights";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { enqueueEffect } from "@/lib/outbox/enqueue-effect";
import { issueReceiptEffect } from "@/lib/payments/receipts/issue-receipt";

export type PaymentConfirmation = {
  orderId: string;
  paymentRef: string;
  /** The provider's fee in the order's currency. */
  feeMinor: number;
  paidAt: Date;
  /** The charge as the provider settled it, in its balance's currency (reconciliation compares with it). */
  settlement?: { currency: string; amountMinor: number; feeMinor: number } | null;
};

/**
 * Marks an order paid, in the caller's transaction: posts the sale with its
 * split (by the policy active now), runs the fulfiller of the order's kind and
 * appends the audit event, so money, delivery and record commit together.
 * Idempotent: an order already paid is left as it is. An order of a kind
 * with no fulfiller fails the whole transaction (the event is retried once a
 * fulfiller exists) instead of taking money for nothing.
 */
export async function markOrderPaid(tx: Tx, confirmation: PaymentConfirmation): Promise<{ alreadyPaid: boolean }> {
  const [row] = await tx.$queryRaw<
    { status: string }[]
  >`SELECT "status" FROM "PaymentOrder" WHERE "id" = ${confirmation.orderId} FOR UPDATE`;
  if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  if (row.status === "paid") return { alreadyPaid: true };
  const order = await tx.paymentOrder.findUniqueOrThrow({ where: { id: confirmation.orderId } });
  const fulfil = orderFulfillerFor(order.fulfilmentKind);
  if (!fulfil)
    throw new Error(`no fulfiller is registered for orders of kind "${order.fulfilmentKind}" (order ${order.id})`);

  const policy = await getActiveSplitPolicyOrThrow(tx, { productKind: order.productKind, currency: order.currency });
  const hosts = await getHostWeights(tx, policy.hostRule, confirmation.paidAt);
  const entryId = newSortableId("je");
  const feeMinor = Math.min(confirmation.feeMinor, minorUnitsAsNumber(order.amountMinor));
  await postJournalEntries(tx, [buildSaleEntry({ ...order, feeMinor }, policy, hosts, entryId)]);
  await tx.paymentOrder.update({
    where: { id: order.id },
    data: {
      status: "paid",
      reconcileAfter: null,
      paidAt: confirmation.paidAt,
      providerPaymentRef: confirmation.paymentRef,
      feeMinor,
      settlementCurrency: confirmation.settlement?.currency ?? null,
      settledAmountMinor: confirmation.settlement?.amountMinor ?? null,
      providerFeeMinor: confirmation.settlement?.feeMinor ?? null,
      saleEntryId: entryId,
      policyVersionId: policy.id,
    },
  });
  await fulfil(tx, { id: order.id, fulfilment: order.fulfilment, paidAt: confirmation.paidAt });
  await appendAuditEvent(tx, {
    actor: { type: "system", id: "payments" },
    action: "order.paid",
    subject: { type: "order", id: order.id },
    state: {
      status: "paid",
      amountMinor: minorUnitsAsNumber(order.amountMinor),
      feeMinor,
      currency: order.currency,
      entryId,
      policyVersionId: policy.id,
    },
    data: {
      amountMinor: minorUnitsAsNumber(order.amountMinor),
      feeMinor,
      currency: order.currency,
      entryId,
      policyVersion: policy.version,
    },
  });
  // Signed after commit (it reads the order.paid event's sequence number, and signing waits for no lock).
  await enqueueEffect(tx, issueReceiptEffect, { orderId: order.id }, `receipt:${order.id}`);
  return { alreadyPaid: false };
}
