import "server-only";
import type { Tx } from "@/lib/db/client";

export type ProviderDispute = {
  disputeId: string;
  paymentRef: string;
  amountMinor: number;
  /** Upper-case ISO code; empty when the provider gave none (then it is never applied, only reported). */
  currency: string;
};

/**
 * A dispute whose funds were withdrawn before Guildhall recorded the payment it disputes (the payment names
 * no order, and no funder's payment with its reference is recorded yet: a funder's invoice.paid can come after
 * the charge's dispute) is held, in the caller's transaction, which holds the payment's lock
 * (findPaidPayment). A later report of the same dispute updates its amount; the transaction that records the
 * payment applies it (postFundingPayment), once. A dispute of a charge that is not Guildhall's stays held and
 * is never applied (the hourly reconciliation reports such charges).
 */
export async function holdDisputeUntilPaid(tx: Tx, provider: string, dispute: ProviderDispute): Promise<void> {
  const state = {
    paymentRef: dispute.paymentRef,
    amountMinor: BigInt(dispute.amountMinor),
    currency: dispute.currency,
  };
  await tx.heldProviderDispute.upsert({
    where: { provider_disputeId: { provider, disputeId: dispute.disputeId } },
    create: { provider, disputeId: dispute.disputeId, ...state },
    update: state,
  });
}
