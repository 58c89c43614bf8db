import "server-only";
import { db } from "@/lib/db/client";
import { raiseFinanceAlert } from "@/lib/finance-alerts/raise-finance-alert";
import { reconcileProviderBalance, type Reconciliation } from "@/lib/payouts/reconcile-provider-balance";
import { limits } from "@/lib/config/limits";

/**
 * Reconciles the provider's balance with the ledger over a window (by default the three days up to an hour
 * ago: the newest events may still be on their way) and raises a finance alert for each difference, once
 * per difference however many rounds see it. The ledger's own invariants can all hold while the provider
 * has moved money the ledger does not know of (a refund made twice, a transfer reversed): this is what
 * tells finance. A background task runs it hourly; `payouts reconcile` raises the same alerts.
 */
export async function alertReconciliationDifferences(
  window: { from: Date; to: Date } = {
    from: new Date(Date.now() - limits.reconciliation.balanceWindowMs),
    to: new Date(Date.now() - limits.reconciliation.balanceSettleMs),
  },
): Promise<Reconciliation & { alerted: number }> {
  const result = await reconcileProviderBalance(window);
  let alerted = 0;
  for (const d of result.differences) {
    const raised = await db().$transaction((tx) =>
      raiseFinanceAlert(tx, {
        key: `reconciliation:${result.provider}:${d.kind}:${d.providerRef}`,
        kind: "reconciliation",
        message: `${result.provider}: ${d.kind.replaceAll("_", " ")} for ${d.providerRef}: ${d.detail}`,
      }),
    );
    if (raised) alerted += 1;
  }
  return { ...result, alerted };
}
