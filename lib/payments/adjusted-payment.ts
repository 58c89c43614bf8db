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
};

/** The adjustment row's payment (the database holds exactly one of the two). */
export function adjustedPaymentOf(row: { orderId: string | null; fundingPaymentId: string | null }): AdjustedPayment {
  if (row.orderId) return { orderId: row.orderId };
  if (row.fundingPaymentId) return { fundingPaymentId: row.fundingPaymentId };
  throw new Error("a payment adjustment of neither an order nor a funding payment");
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
      SELECT "status", "amountMinor", "refundedMinor", "disputedMinor", "saleEntryId", "currency"
        FROM "PaymentOrder" WHERE "id" = ${p.orderId} FOR UPDATE`;
    return order ? { ...order, paid: order.status === "paid" } : null;
  }
  const [payment] = await tx.$queryRaw<Omit<LockedPayment, "paid">[]>`
    SELECT "amountMinor", "refundedMinor", "disputedMinor", "journalEntryId" AS "saleEntryId", "currency"
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
