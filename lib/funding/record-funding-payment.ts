import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId, newSortableId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { buildSplitEntry } from "@/lib/splits/build-split-entry";
import { getActiveSplitPolicyOrThrow } from "@/lib/splits/get-active-split-policy";
import { fundingHostWeights } from "@/lib/funding/funding-hosts";

export type FundingPaymentInput = {
  fundingId: string;
  provider: string;
  /** The paid invoice, or the one-time funding's checkout session: what makes the payment one. */
  providerRef: string;
  /** The payment intent (what the provider's balance names, for reconciliation). */
  paymentRef: string;
  amountMinor: number;
  feeMinor: number;
  currency: string;
  paidAt: Date;
  /** The end of the period a subscription's invoice pays for; null for a one-time funding. */
  periodEnd: Date | null;
  subscriptionId: string | null;
  /**
   * An app store's payment: the funding's state follows the store's notifications in their own time order
   * (applyStoreFundingState), so a payment only makes a pending funding active and changes no other state.
   */
  stateFollowsStore?: boolean;
};

/**
 * Posts a funder's payment to the ledger once (by provider and invoice or session), in the caller's
 * transaction: the gross less the provider's fee split by the active LINE_FUNDING policy among the hosts
 * funded (the line's hosts by the usage they reported for the payment's period, or the one host funded), the
 * fee borne by the org as on a sale. The funding becomes active (paid, for a one-time one) and its paid
 * period extends to the invoice's. Refused (the event is recorded as ignored): a payment of another
 * provider or currency than the funding's.
 */
export async function recordFundingPayment(
  tx: Tx,
  { payment: p, actor }: { payment: FundingPaymentInput; actor: Actor },
): Promise<{ alreadyRecorded: boolean; paymentId: string }> {
  const [funding] = await tx.$queryRaw<
    {
      id: string;
      provider: string;
      currency: string;
      interval: string;
      status: string;
      releaseLineId: string | null;
      hostOrgId: string | null;
      paidThrough: Date | null;
    }[]
  >`SELECT "id", "provider", "currency", "interval", "status", "releaseLineId", "hostOrgId", "paidThrough"
      FROM "Funding" WHERE "id" = ${p.fundingId} FOR UPDATE`;
  if (!funding) throw new AppError("NOT_FOUND", { userMessage: "No such funding.", reason: "UNKNOWN_FUNDING" });
  const existing = await tx.fundingPayment.findUnique({
    where: { provider_providerRef: { provider: p.provider, providerRef: p.providerRef } },
    select: { id: true },
  });
  if (existing) return { alreadyRecorded: true, paymentId: existing.id };
  if (funding.provider !== p.provider || funding.currency !== p.currency)
    throw new AppError("UNPROCESSABLE", {
      userMessage: `A payment of ${p.currency} at ${p.provider} does not match the funding.`,
      reason: "FUNDING_PAYMENT_MISMATCH",
    });
  const policy = await getActiveSplitPolicyOrThrow(tx, { productKind: "LINE_FUNDING", currency: p.currency });
  const hosts = await fundingHostWeights(tx, funding, policy.hostRule, p.paidAt);
  const entryId = newSortableId("je");
  const feeMinor = Math.min(p.feeMinor, p.amountMinor);
  await postJournalEntries(tx, [
    buildSplitEntry(
      {
        kind: "funding",
        orderId: null,
        memo: `funding ${p.fundingId} ${p.providerRef}`,
        theaterOrgId: null,
        amountMinor: p.amountMinor,
        feeMinor,
        currency: p.currency,
      },
      policy,
      hosts,
      entryId,
    ),
  ]);
  const paymentId = newId("fpy");
  await tx.fundingPayment.create({
    data: {
      id: paymentId,
      fundingId: p.fundingId,
      provider: p.provider,
      providerRef: p.providerRef,
      paymentRef: p.paymentRef,
      amountMinor: BigInt(p.amountMinor),
      feeMinor: BigInt(feeMinor),
      currency: p.currency,
      journalEntryId: entryId,
      paidAt: p.paidAt,
      periodEnd: p.periodEnd,
    },
  });
  const paidThrough =
    p.periodEnd && (!funding.paidThrough || p.periodEnd > funding.paidThrough) ? p.periodEnd : funding.paidThrough;
  // A renewal paid after a failed one makes the funding active again; a canceled or canceling one keeps its
  // state (its last period was paid before it ends).
  const revived = p.stateFollowsStore ? ["pending"] : ["pending", "past_due"];
  const status = funding.interval === "once" ? "paid" : revived.includes(funding.status) ? "active" : funding.status;
  await tx.funding.update({
    where: { id: p.fundingId },
    data: {
      status,
      paidThrough,
      ...(p.subscriptionId ? { providerSubscriptionId: p.subscriptionId } : {}),
    },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "funding.payment_recorded",
    subject: { type: "funding", id: p.fundingId },
    state: { status, paidThrough, entryId, policyVersionId: policy.id },
    data: { paymentId, amountMinor: p.amountMinor, feeMinor, currency: p.currency, entryId },
  });
  return { alreadyRecorded: false, paymentId };
}
