import "server-only";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import type { RecordCheck } from "@/lib/portability/org-archive-checks/record-check";

/** Every ledger account's balance recomputed from the postings is the manifest's, and each currency sums to zero. */
export function ledgerBalanceCheck(balances: OrgArchiveManifest["ledger"]["balances"]): RecordCheck {
  const sums = new Map<string, bigint>();
  return {
    record: (row) => {
      const key = `${String(row.accountId)} ${String(row.currency)}`;
      let amount: bigint;
      try {
        amount = BigInt(String(row.amountMinor));
      } catch {
        return `posting ${String(row.id)}: its amount is not an integer`;
      }
      sums.set(key, (sums.get(key) ?? 0n) + amount);
      return null;
    },
    end: () => {
      const byCurrency = new Map<string, bigint>();
      for (const b of balances) {
        const key = `${b.accountId} ${b.currency}`;
        if ((sums.get(key) ?? 0n) !== BigInt(b.balanceMinor))
          return `account ${b.accountId} (${b.currency}): its postings sum to ${sums.get(key) ?? 0n}, the manifest says ${b.balanceMinor}`;
        sums.delete(key);
        byCurrency.set(b.currency, (byCurrency.get(b.currency) ?? 0n) + BigInt(b.balanceMinor));
      }
      const unlisted = [...sums.keys()][0];
      if (unlisted) return `account ${unlisted}: it has postings but no balance in the manifest`;
      for (const [currency, total] of byCurrency)
        if (total !== 0n) return `the ${currency} postings sum to ${total}, not zero: the ledger does not balance`;
      return null;
    },
  };
}
