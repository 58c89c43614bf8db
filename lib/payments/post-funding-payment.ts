import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";
import { type FundingPaymentInput, recordFundingPayment } from "@/lib/funding/record-funding-payment";
import type { ProviderRefundStatus } from "@/lib/payment-provider/provider";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { applyProviderRefund } from "@/lib/payments/apply-provider-refund";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { closeDispute } from "@/lib/payments/close-dispute";

/**
 * Posts a funder's payment (recordFundingPayment) under the payment's lock, and then, in the same
 * transaction, every refund of it that arrived first and was held (holdRefundUntilPaid): each is brought
 * into the ledger as its own event would have (applyProviderRefund, once per refund id, so the refund's
 * later events find it recorded) and marked applied; then every dispute held the same way
 * (holdDisputeUntilPaid): recorded as its event would have (recordPaymentAdjustment, once per dispute id) and,
 * when it closed meanwhile, closed as the provider reported (a won dispute gives the shares back). The lock
 * orders this against a refund or dispute event handled at the same moment: that one either finds the payment
 * recorded or is held before this reads what is held.
 */
export async function postFundingPayment(tx: Tx, { payment, actor }: { payment: FundingPaymentInput; actor: Actor }) {
  await lockNameForTransaction(tx, advisoryLockNames.providerPayment(payment.provider, payment.paymentRef));
  const posted = await recordFundingPayment(tx, { payment, actor });
  const held = await tx.heldProviderRefund.findMany({
    where: { provider: payment.provider, paymentRef: payment.paymentRef, appliedAt: null },
    orderBy: { heldAt: "asc" },
  });
  for (const refund of held) {
    // One the payment cannot carry (another currency, more than is left) is left held: the balance
    // reconciliation reports it, rather than the payment itself going unrecorded.
    const left = await tx.fundingPayment.findUniqueOrThrow({ where: { id: posted.paymentId } });
    if (refund.currency !== left.currency || refund.amountMinor > refundableMinor(left)) continue;
    await applyProviderRefund(tx, {
      payment: { fundingPaymentId: posted.paymentId },
      refund: {
        id: refund.refundId,
        paymentRef: refund.paymentRef,
        amountMinor: minorUnitsAsNumber(refund.amountMinor),
        currency: refund.currency,
        status: refund.status as ProviderRefundStatus,
        refundRequestId: refund.refundRequestId,
      },
      actor,
    });
    await tx.heldProviderRefund.update({
      where: { provider_refundId: { provider: refund.provider, refundId: refund.refundId } },
      data: { appliedAt: new Date() },
    });
  }
  await applyHeldDisputes(tx, payment.provider, payment.paymentRef, posted.paymentId, actor);
  return posted;
}

async function applyHeldDisputes(tx: Tx, provider: string, paymentRef: string, paymentId: string, actor: Actor) {
  const held = await tx.heldProviderDispute.findMany({
    where: { provider, paymentRef, appliedAt: null },
    orderBy: { heldAt: "asc" },
  });
  for (const dispute of held) {
    // As for refunds: one the payment cannot carry is left held, and the reconciliation reports it.
    const left = await tx.fundingPayment.findUniqueOrThrow({ where: { id: paymentId } });
    if (dispute.currency !== left.currency || dispute.amountMinor > refundableMinor(left)) continue;
    await recordPaymentAdjustment(tx, {
      fundingPaymentId: paymentId,
      kind: "dispute",
      amountMinor: minorUnitsAsNumber(dispute.amountMinor),
      providerRef: dispute.disputeId,
      actor,
    });
    if (dispute.outcome)
      await closeDispute(tx, { providerRef: dispute.disputeId, won: dispute.outcome === "won", actor });
    await tx.heldProviderDispute.update({
      where: { provider_disputeId: { provider, disputeId: dispute.disputeId } },
      data: { appliedAt: new Date() },
    });
  }
}
