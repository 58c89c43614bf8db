import "server-only";
/** The amounts of a paid order that bound what can still go back to the buyer. */
export type RefundableOrder = { amountMinor: bigint; refundedMinor: bigint; disputedMinor: bigint };

/**
 * What can still be refunded on an order: its amount less what was refunded
 * and what is held in disputes. Refunds and disputes together never exceed
 * the amount, so this is never negative.
 */
export function refundableMinor(order: RefundableOrder): bigint {
  return order.amountMinor - order.refundedMinor - order.disputedMinor;
}
