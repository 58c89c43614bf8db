import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { reconcileProviderBalance } from "@/lib/payouts/reconcile-provider-balance";

export const metadata = { title: "Reconciliation" };

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  await requirePageAccess({ role: "FINANCE" }, "/finance/reconciliation");
  const days = Math.min(90, Math.max(1, Number((await searchParams).days ?? 7) || 7));
  const to = new Date();
  const r = await reconcileProviderBalance({ from: new Date(to.getTime() - days * 86_400_000), to });
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm text-accent">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">
        Reconciliation ({r.provider}, last {days} days)
      </h1>
      <p className="text-sm" data-testid="reconciliation-summary">
        {r.providerCount === 0
          ? `The provider reported no balance transactions in the last ${days} days: there is nothing to reconcile yet.`
          : `${r.matched} of ${r.providerCount} provider balance ${plural(r.providerCount, "transaction matches", "transactions match")} the ledger; ${
              r.differences.length === 0
                ? "no differences."
                : `${r.differences.length} ${plural(r.differences.length, "difference", "differences")}, listed below.`
            }`}
      </p>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm">
        <div>
          <label className="label" htmlFor="days">
            Days to look back (1–90)
          </label>
          <input className="input w-28" id="days" name="days" type="number" min={1} max={90} defaultValue={days} />
        </div>
        <button className="btn-secondary" type="submit">
          Show
        </button>
      </form>
      {r.differences.length > 0 && (
        <table className="table" data-testid="reconciliation-differences">
          <thead>
            <tr>
              <th>Difference</th>
              <th>Reference</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {r.differences.map((d) => (
              <tr key={`${d.kind}:${d.providerRef}:${d.detail}`}>
                <td>{d.kind}</td>
                <td className="font-mono text-xs">{d.providerRef}</td>
                <td>{d.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
