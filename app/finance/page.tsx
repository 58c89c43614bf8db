import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getFinanceOverview } from "@/lib/payouts/get-finance-overview";
import { formatMoney } from "@/lib/money/format-money";
import { MoneyChart, kindColors, kindLabels } from "@/app/finance/money-chart";
import { BatchTable } from "@/app/finance/batch-table";
import { listForkOrigins } from "@/lib/portability/list-fork-origins";
import { ForkNotice } from "@/app/origin-mark";
import { UnpayableWarning } from "@/app/finance/batches/[id]/unpayable-warning";
import { listOwedPayeesWithoutPayoutAccount } from "@/lib/payouts/list-payees-without-payout-account";
import { salesByDay } from "@/lib/payments/sales-by-day";
import { SalesChart } from "@/app/finance/sales-chart";
import { listOpenFinanceAlerts } from "@/lib/finance-alerts/list-finance-alerts";
import { ActionForm } from "@/app/action-form";
import {
  connectDevelopersFundAction,
  proposePayoutBatchAction,
  resolveFinanceAlertAction,
} from "@/app/finance/actions";

export const metadata = { title: "Finance" };

const chartDays = 30;

/** An alert's kind, as the list names it. */
const alertKindLabels: Record<string, string> = {
  reconciliation: "Reconciliation",
  connected_payout_failed: "Payout",
  store_funding_currency: "Store funding currency",
  store_unmapped_product: "Store product not mapped",
  store_purchase_not_recorded: "Store purchase not recorded",
};

export default async function FinancePage() {
  await requirePageAccess({ role: "FINANCE" }, "/finance");
  const [o, unpayable, sales, alerts, forks] = await Promise.all([
    getFinanceOverview(),
    listOwedPayeesWithoutPayoutAccount(),
    salesByDay(chartDays),
    listOpenFinanceAlerts(),
    listForkOrigins(),
  ]);
  const currencies = [...new Set(o.balances.map((b) => b.currency))];
  const salesCurrencies = [...new Set(sales.map((s) => s.currency))];
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Finance</h1>
        <nav className="flex flex-wrap gap-4 text-sm" aria-label="Finance">
          <Link href="/finance/policies">Split policies</Link>
          <Link href="/finance/orders">Orders</Link>
          <Link href="/finance/fundings">Funding payments</Link>
          <Link href="/finance/batches">Payout batches</Link>
          <Link href="/finance/reconciliation">Reconciliation</Link>
          <Link href="/admin/licensing">Licenses and plans</Link>
        </nav>
      </div>
      <ForkNotice forks={forks} />
      <section id="alerts" className="card space-y-3" data-testid="finance-alerts">
        <h2 className="text-lg font-semibold">Alerts</h2>
        {alerts.length === 0 ? (
          <p className="text-sm text-stone-600">
            No open alerts: the provider's balance and the ledger agreed at the last reconciliation.
          </p>
        ) : (
          <ul className="space-y-3">
            {alerts.map((a) => (
              <li key={a.id} className="space-y-1 text-sm">
                <p>
                  <span className="font-semibold">{alertKindLabels[a.kind] ?? "Payout"}</span> (
                  {a.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC): {a.message}
                </p>
                <ActionForm
                  action={resolveFinanceAlertAction}
                  submitLabel="Mark resolved"
                  variant="secondary"
                  className="flex flex-wrap items-end gap-2"
                >
                  <input type="hidden" name="alertId" value={a.id} />
                  <label className="text-xs">
                    What was done
                    <input name="reason" className="input ml-2" required minLength={3} maxLength={500} />
                  </label>
                </ActionForm>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="text-sm text-stone-600">
        {o.paidOrders} paid {o.paidOrders === 1 ? "order" : "orders"}, {o.openOrders} open{" "}
        {o.openOrders === 1 ? "checkout" : "checkouts"}. Balances are derived from the ledger (debit positive; payables
        are negative while owed).
      </p>
      {salesCurrencies.length === 0 ? (
        <p className="card text-sm text-stone-600" data-testid="sales-chart-empty">
          No paid sales in the last {chartDays} days.
        </p>
      ) : (
        salesCurrencies.map((currency) => (
          <SalesChart key={currency} sales={sales} currency={currency} days={chartDays} />
        ))
      )}
      {currencies.map((currency) => (
        <MoneyChart
          key={currency}
          currency={currency}
          title={`Where the money went (${currency}, all time)`}
          bars={o.balances
            .filter((b) => b.currency === currency && b.kind !== "processor_clearing")
            .map((b) => ({
              label: kindLabels[b.kind] ?? b.kind,
              amountMinor: Math.abs(b.balanceMinor),
              color: kindColors[b.kind] ?? "#999",
            }))}
        />
      ))}
      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">Payout batches</h2>
        <UnpayableWarning
          payees={unpayable}
          when="a batch proposed now would include them, and their transfers would fail:"
        />
        <ActionForm
          action={proposePayoutBatchAction}
          submitLabel="Propose a batch of what is owed"
          className="flex flex-wrap items-end gap-3"
        >
          <div>
            <label className="label" htmlFor="currency">
              Currency
            </label>
            <input id="currency" name="currency" className="input w-24" defaultValue="EUR" required />
          </div>
          <div>
            <label className="label" htmlFor="periodEnd">
              Period ending (optional)
            </label>
            <input id="periodEnd" name="periodEnd" type="date" className="input" />
          </div>
        </ActionForm>
        {!o.fundConnected && (
          <ActionForm
            action={connectDevelopersFundAction}
            submitLabel="Connect the developers' fund payout account"
            variant="secondary"
            className="flex flex-wrap items-center gap-2"
          >
            <label className="text-sm">
              Country of the bank account (two letters, such as DE)
              <input className="input ml-2 w-20 uppercase" name="country" pattern="[A-Za-z]{2}" maxLength={2} />
            </label>
          </ActionForm>
        )}
        {o.batches.length === 0 ? (
          <p className="text-sm text-stone-600" data-testid="no-batches">
            No payout batch has been proposed yet.
          </p>
        ) : (
          <BatchTable batches={o.batches} forks={forks} />
        )}
        <Link href="/finance/batches" className="text-sm" data-testid="all-batches">
          {o.moreBatches
            ? "Older batches, with filters by state, currency and date"
            : "Find a batch by state, currency or date"}
        </Link>
      </section>
      <section className="card">
        <h2 className="mb-2 text-lg font-semibold">Balances by account</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Account</th>
              <th>Currency</th>
              <th>Accounts</th>
              <th className="text-right">Balance</th>
            </tr>
          </thead>
          <tbody>
            {o.balances.map((b) => (
              <tr key={`${b.kind}:${b.currency}`}>
                <td>{kindLabels[b.kind] ?? b.kind}</td>
                <td>{b.currency}</td>
                <td>{b.accounts}</td>
                <td className="text-right font-mono">{formatMoney(b.balanceMinor, b.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
