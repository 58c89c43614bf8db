import "server-only";
import type { JournalEntryInput, PostingInput } from "@/lib/ledger/post-journal-entries";
import { parseLedgerAccountId } from "@/lib/ledger/accounts";
import { allocateLargestRemainder } from "@/lib/splits/allocate-largest-remainder";

type SalePosting = { accountId: string; amountMinor: bigint };

/**
 * The entry of a refund or dispute of `amountMinor` out of a sale (or a funder's payment, split the same way): the money
 * leaves processor clearing, and every account the sale credited gives back
 * its proportional share (largest remainder, so the entry sums to zero). The
 * org's share is booked to the refunds account, a contra-income account, so
 * refunds stay visible. The provider keeps its fee, so on a full refund the
 * org is left with the fee expense, which is the truth.
 */
export function buildAdjustmentEntry(
  kind: "refund" | "dispute",
  /** The order the sale was of; null for a funder's payment, named by `paymentId`. */
  orderId: string | null,
  amountMinor: number,
  salePostings: SalePosting[],
  paymentId: string | null = orderId,
): JournalEntryInput {
  const credits = salePostings.filter((p) => p.amountMinor < 0n);
  const currency = parseLedgerAccountId(salePostings[0].accountId).currency;
  const shares = allocateLargestRemainder(
    BigInt(amountMinor),
    credits.map((p) => -p.amountMinor),
  );
  const postings: PostingInput[] = [{ kind: "processor_clearing", currency, amountMinor: -BigInt(amountMinor) }];
  credits.forEach((p, i) => {
    const account = parseLedgerAccountId(p.accountId);
    postings.push(
      account.kind === "org_operations"
        ? { kind: "refunds", currency, amountMinor: shares[i] }
        : { ...account, amountMinor: shares[i] },
    );
  });
  return { kind, orderId, memo: `${kind} of ${amountMinor} ${currency} on ${paymentId}`, postings };
}
