import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { reconcileProviderBalance } from "@/lib/payouts/reconcile-provider-balance";

export const metadata = { title: "Reconciliation" };

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
        {r.matched} of {r.providerCount} provider balance transactions match the ledger; {r.differences.length}{" "}
        difference(s).
      </p>
      <table className="table">
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
    </div>
  );
}
