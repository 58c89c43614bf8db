import "server-only";
import { db } from "@/lib/db/client";
import { getAccountBalances } from "@/lib/ledger/get-account-balances";
import { listPayoutBatches } from "@/lib/payouts/list-payout-batches";

/** How many of the latest batches the finance home shows; the rest are on /finance/batches. */
const recentBatches = 10;

/** The finance home: balances per account kind and currency, recent batches, the developers' fund's payout account. */
export async function getFinanceOverview() {
  const balances = await getAccountBalances();
  const byKind = new Map<string, { kind: string; currency: string; balanceMinor: number; accounts: number }>();
  for (const b of balances) {
    const key = `${b.kind}:${b.currency}`;
    const row = byKind.get(key) ?? { kind: b.kind, currency: b.currency, balanceMinor: 0, accounts: 0 };
    row.balanceMinor += b.balanceMinor;
    row.accounts += 1;
    byKind.set(key, row);
  }
  const [{ batches, nextBefore }, fund, openOrders, paidOrders] = await Promise.all([
    listPayoutBatches({}, recentBatches),
    db().payeeAccount.findFirst({ where: { ledgerAccountKind: "developers_fund", orgId: null } }),
    db().paymentOrder.count({ where: { status: "open" } }),
    db().paymentOrder.count({ where: { status: "paid" } }),
  ]);
  return {
    balances: [...byKind.values()].sort((a, b) => a.currency.localeCompare(b.currency) || a.kind.localeCompare(b.kind)),
    batches,
    moreBatches: nextBefore !== null,
    fundConnected: fund !== null,
    openOrders,
    paidOrders,
  };
}
