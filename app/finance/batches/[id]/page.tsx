import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { getPayoutBatchOrThrow } from "@/lib/payouts/get-payout-batch";
import { isAppError } from "@/lib/errors/app-error";
import { formatMoney } from "@/lib/money/format-money";
import { MoneyChart, kindColors, kindLabels } from "@/app/finance/money-chart";

export const metadata = { title: "Payout batch" };

async function load(id: string) {
  try {
    return await getPayoutBatchOrThrow(id);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function PayoutBatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { session } = await requirePageAccess({ role: "FINANCE" }, `/finance/batches/${id}`);
  const { batch, items, approvals, byKind } = await load(id);
  const approvedByMe = approvals.some((a) => a.userId === session.userId);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/finance" className="text-sm text-accent">
          ← Finance
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">
          Payout batch <span className="font-mono">{batch.id}</span>
        </h1>
        <p className="text-sm text-stone-600">
          <span data-testid="batch-status">{batch.status}</span> · {batch.itemCount} payee(s) · total{" "}
          <strong>{formatMoney(batch.totalMinor, batch.currency)}</strong>
          {batch.periodEnd ? ` · period to ${batch.periodEnd.toISOString().slice(0, 10)}` : " · on demand"} · cut-off
          posting #{batch.cutoffPostingId.toString()}
        </p>
      </div>
      <section className="card space-y-3">
        <h2 className="font-semibold">Approvals ({approvals.length}/2)</h2>
        <ul className="text-sm" data-testid="approvals">
          {approvals.map((a) => (
            <li key={a.userId}>
              {a.email} at {a.at.toISOString().slice(0, 19).replace("T", " ")}
            </li>
          ))}
        </ul>
        <div className="flex gap-3">
          {batch.status === "draft" && !approvedByMe && (
            <form method="post" action={`/api/finance/batches/${batch.id}/approve`}>
              <button className="btn" type="submit">
                Approve
              </button>
            </form>
          )}
          {batch.status === "draft" && approvedByMe && (
            <p className="text-sm text-stone-600">
              You approved this batch; a second finance user must approve it too.
            </p>
          )}
          {batch.status === "approved" && (
            <form method="post" action={`/api/finance/batches/${batch.id}/execute`}>
              <button className="btn" type="submit">
                Execute: send the transfers
              </button>
            </form>
          )}
          {(batch.status === "draft" || batch.status === "approved") && (
            <form method="post" action={`/api/finance/batches/${batch.id}/void`}>
              <button className="btn-secondary" type="submit">
                Void
              </button>
            </form>
          )}
          <a className="btn-secondary" href={`/api/finance/batches/${batch.id}/csv`}>
            Download CSV
          </a>
        </div>
      </section>
      <MoneyChart
        currency={batch.currency}
        title="Where this batch's money goes"
        bars={byKind.map((k) => ({
          label: kindLabels[k.kind] ?? k.kind,
          amountMinor: k.amount,
          color: kindColors[k.kind] ?? "#999",
        }))}
      />
      <section className="card">
        <h2 className="mb-2 font-semibold">Per payee</h2>
        <table className="table" data-testid="batch-items">
          <thead>
            <tr>
              <th>Payee</th>
              <th>Kind</th>
              <th className="text-right">Amount</th>
              <th>Status</th>
              <th>Transfer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{i.payeeName}</td>
                <td>{kindLabels[i.kind] ?? i.kind}</td>
                <td className="text-right font-mono">{formatMoney(i.amountMinor, i.currency)}</td>
                <td>
                  {i.status}
                  {i.failureReason ? <span className="block text-xs text-red-700">{i.failureReason}</span> : null}
                </td>
                <td className="font-mono text-xs">{i.providerTransferId ?? ""}</td>
                <td>
                  <Link className="text-accent" href={`/finance/batches/${batch.id}/items/${i.id}`}>
                    Sources
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
