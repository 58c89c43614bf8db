import "server-only";
import type { JournalEntryInput } from "@/lib/ledger/post-journal-entries";
import { buildSplitEntry } from "@/lib/splits/build-split-entry";
import type { HostWeight, SplitPolicyTerms } from "@/lib/splits/compute-split";

export type SaleForEntry = {
  id: string;
  theaterOrgId: string;
  amountMinor: bigint | number;
  feeMinor: bigint | number;
  currency: string;
  productKind: string;
};

/** The journal entry of a paid sale: the order's amount less the fee, split by the policy (buildSplitEntry). */
export function buildSaleEntry(
  sale: SaleForEntry,
  terms: SplitPolicyTerms,
  hosts: HostWeight[],
  entryId?: string,
): JournalEntryInput {
  return buildSplitEntry(
    { ...sale, kind: "sale", orderId: sale.id, memo: `${sale.productKind} ${sale.id}` },
    terms,
    hosts,
    entryId,
  );
}
