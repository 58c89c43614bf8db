import "server-only";
import type { Tx } from "@/lib/db/client";

/**
 * What a refund or dispute (a PaymentAdjustment) takes money back from: a paid order, or a funder's payment
 * of a release line or host (lib/funding). Both were posted to the ledger as one split entry, so both are
 * adjusted by the same proportional reversal of that entry.
 */
export type AdjustedPayment =
  | { orderId: string; fundingPaymentId?: undefined }
  | { fundingPaymentId: string; orderId?: undefined };

export type LockedPayment = {
  paid: boolean;
  amountMinor: bigint;
  refundedMinor: bigint;
  disputedMinor: bigint;
  /** The split entry the adjustment reverses part of. */
  saleEntryId: string | null;
  currency: string;
  /** Who took the payment, and the payment as the provider names it (null for an order not paid yet). */
  provider: string;
  paymentRef: string | null;
};

/** The adjustment row's payment (the database holds exactly one of the two). */
export function adjustedPaymentOf(row: { orderId: string | null; fundingPaymentId: string | null }): AdjustedPayment {
  if (row.orderId) return { orderId: row.orderId };
  if (row.fundingPaymentId) return { fundingPaymentId: row.fundingPaymentId };
  throw new Error("a payment adjustment of neither an order nor a funding payment");
}

/** The rows of a table keyed by the adjusted payment (PaymentAdjustment, RefundRequest): a Prisma filter. */
export function paymentWhere(p: AdjustedPayment) {
  return p.orderId ? { orderId: p.orderId } : { fundingPaymentId: String(p.fundingPaymentId) };
}

/** Whom the audit log names as the adjusted subject. */
export function auditSubjectOf(p: AdjustedPayment) {
  return p.orderId ? { type: "order", id: p.orderId } : { type: "funding_payment", id: String(p.fundingPaymentId) };
}

/**
 * Locks the payment's row for the caller's transaction (so two adjustments at once cannot together exceed
 * it) and reads what an adjustment needs. Null when there is no such payment.
 */
export async function lockAdjustedPayment(tx: Tx, p: AdjustedPayment): Promise<LockedPayment | null> {
  if (p.orderId) {
    const [order] = await tx.$queryRaw<(Omit<LockedPayment, "paid"> & { status: string })[]>`
      SELECT "status", "amountMinor", "refundedMinor", "disputedMinor", "saleEntryId", "currency", "provider",
             "providerPaymentRef" AS "paymentRef"
        FROM "PaymentOrder" WHERE "id" = ${p.orderId} FOR UPDATE`;
    return order ? { ...order, paid: order.status === "paid" } : null;
  }
  const [payment] = await tx.$queryRaw<Omit<LockedPayment, "paid">[]>`
    SELECT "amountMinor", "refundedMinor", "disputedMinor", "journalEntryId" AS "saleEntryId", "currency", "provider",
           "paymentRef"
      FROM "FundingPayment" WHERE "id" = ${p.fundingPaymentId} FOR UPDATE`;
  return payment ? { ...payment, paid: true } : null;
}

/** Moves the payment's refunded or disputed total by `deltaMinor` (negative when an adjustment is undone). */
export async function changeAdjustedTotal(
  tx: Tx,
  p: AdjustedPayment,
  total: "refundedMinor" | "disputedMinor",
  deltaMinor: bigint,
): Promise<void> {
  const data = { [total]: { increment: deltaMinor } };
  if (p.orderId) await tx.paymentOrder.update({ where: { id: p.orderId }, data });
  else await tx.fundingPayment.update({ where: { id: p.fundingPaymentId }, data });
}

/** Who took the payment and how the provider names it, read without a lock (to send a refund of it). */
export async function providerPaymentOf(tx: Tx, p: AdjustedPayment) {
  if (p.orderId) {
    const order = await tx.paymentOrder.findUniqueOrThrow({ where: { id: p.orderId } });
    return { provider: order.provider, paymentRef: order.providerPaymentRef ?? "" };
  }
  const payment = await tx.fundingPayment.findUniqueOrThrow({ where: { id: p.fundingPaymentId } });
  return { provider: payment.provider, paymentRef: payment.paymentRef };
}
