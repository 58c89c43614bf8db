import "server-only";
import type { JournalEntryInput } from "@/lib/ledger/post-journal-entries";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { computeSplit, type HostWeight, type SplitPolicyTerms } from "@/lib/splits/compute-split";

export type PaymentForEntry = {
  kind: "sale" | "funding";
  orderId: string | null;
  memo: string;
  /** The theater a sale is for; null for funding, whose policy gives theaters nothing. */
  theaterOrgId: string | null;
  amountMinor: bigint | number;
  feeMinor: bigint | number;
  currency: string;
};

/**
 * The journal entry of money taken in and split: a sale, or a funder's payment. The org is the merchant of
 * record: the provider holds the gross less its fee (processor clearing), the fee is the org's expense
 * (processor fees), and the net is split by the policy among the payees. The org's operations account is
 * credited with its part plus the fee, which the fee expense offsets, so its net income is exactly its part.
 * Debits: gross; credits: net + fee; the entry sums to zero.
 */
export function buildSplitEntry(
  payment: PaymentForEntry,
  terms: SplitPolicyTerms,
  hosts: HostWeight[],
  entryId?: string,
): JournalEntryInput {
  const amount = minorUnitsAsNumber(payment.amountMinor);
  const fee = Math.min(minorUnitsAsNumber(payment.feeMinor), amount);
  const net = amount - fee;
  const parts = computeSplit(terms, payment.theaterOrgId, net, hosts);
  if (!parts.some((p) => p.kind === "org_operations"))
    parts.push({ kind: "org_operations", orgId: null, amountMinor: 0 });
  return {
    id: entryId,
    kind: payment.kind,
    orderId: payment.orderId,
    memo: payment.memo,
    postings: [
      { kind: "processor_clearing", currency: payment.currency, amountMinor: net },
      { kind: "processor_fees", currency: payment.currency, amountMinor: fee },
      ...parts.map((p) => ({
        kind: p.kind,
        orgId: p.orgId,
        currency: payment.currency,
        amountMinor: -(p.kind === "org_operations" ? p.amountMinor + fee : p.amountMinor),
      })),
    ],
  };
}
