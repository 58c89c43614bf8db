import "server-only";
import type { JournalEntryInput } from "@/lib/ledger/post-journal-entries";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { computeSplit, type HostWeight, type SplitPolicyTerms } from "@/lib/splits/compute-split";

export type SaleForEntry = {
  id: string;
  theaterOrgId: string;
  amountMinor: bigint | number;
  feeMinor: bigint | number;
  currency: string;
  productKind: string;
};

/**
 * The journal entry of a paid sale. The org is the merchant of record: the
 * provider holds the gross less its fee (processor clearing), the fee is the
 * org's expense (processor fees), and the net is split by the policy among the
 * payees. The org's operations account is credited with its part plus the
 * fee, which the fee expense offsets, so its net income is exactly its part.
 * Debits: gross; credits: net + fee; the entry sums to zero.
 */
export function buildSaleEntry(
  sale: SaleForEntry,
  terms: SplitPolicyTerms,
  hosts: HostWeight[],
  entryId?: string,
): JournalEntryInput {
  const amount = minorUnitsAsNumber(sale.amountMinor);
  const fee = Math.min(minorUnitsAsNumber(sale.feeMinor), amount);
  const net = amount - fee;
  const parts = computeSplit(terms, sale.theaterOrgId, net, hosts);
  if (!parts.some((p) => p.kind === "org_operations"))
    parts.push({ kind: "org_operations", orgId: null, amountMinor: 0 });
  return {
    id: entryId,
    kind: "sale",
    orderId: sale.id,
    memo: `${sale.productKind} ${sale.id}`,
    postings: [
      { kind: "processor_clearing", currency: sale.currency, amountMinor: net },
      { kind: "processor_fees", currency: sale.currency, amountMinor: fee },
      ...parts.map((p) => ({
        kind: p.kind,
        orgId: p.orgId,
        currency: sale.currency,
        amountMinor: -(p.kind === "org_operations" ? p.amountMinor + fee : p.amountMinor),
      })),
    ],
  };
}
