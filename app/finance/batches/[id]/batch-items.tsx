import Link from "next/link";
import { formatMoney } from "@/lib/money/format-money";
import { kindLabels } from "@/app/finance/money-chart";
import { failureAdvice, itemStatusLabel } from "@/app/finance/batch-status";
import { retryableBatchStatuses } from "@/lib/payouts/batch-outcome";
import { ActionForm } from "@/app/action-form";
import { retryPayoutItemAction } from "@/app/finance/batches/[id]/actions";

type Item = {
  id: string;
  payeeName: string;
  kind: string;
  amountMinor: bigint;
  currency: string;
  status: string;
  failureReason: string | null;
  providerTransferId: string | null;
  waitingReason: string | null;
  waitingSince: Date | null;
};

/** The batch's transfers, one per payee: what each is, what became of it, and a retry for a failed one. */
export function BatchItems({ batchId, batchStatus, items }: { batchId: string; batchStatus: string; items: Item[] }) {
  const canRetry = retryableBatchStatuses.includes(batchStatus);
  return (
    <section className="card">
      <h2 className="mb-2 font-semibold">Per payee</h2>
      <div className="overflow-x-auto">
        <table className="table" data-testid="batch-items">
          <thead>
            <tr>
              <th>Payee</th>
              <th>Kind</th>
              <th className="text-right">Amount</th>
              <th>Status</th>
              <th>Transfer</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid={`batch-item-${i.id}`}>
                <td>{i.payeeName}</td>
                <td>{kindLabels[i.kind] ?? i.kind}</td>
                <td className="text-right font-mono">{formatMoney(i.amountMinor, i.currency)}</td>
                <td>
                  <span data-testid="item-status" data-status={i.status}>
                    {itemStatusLabel(i.status, batchStatus)}
                  </span>
                  {i.status === "pending" && i.waitingReason ? (
                    <span className="block text-xs text-amber-800" data-testid="item-waiting">
                      Waiting since {i.waitingSince?.toISOString().slice(0, 16).replace("T", " ")} UTC:{" "}
                      {i.waitingReason}; tried again every hour.
                    </span>
                  ) : null}
                  {i.status === "failed" && i.failureReason ? (
                    <span className="block text-xs text-red-800">{failureAdvice(i.failureReason)}</span>
                  ) : null}
                </td>
                <td className="font-mono text-xs">{i.providerTransferId ?? ""}</td>
                <td className="space-y-2">
                  <Link className="text-accent underline" href={`/finance/batches/${batchId}/items/${i.id}`}>
                    Sources
                  </Link>
                  {canRetry && i.status === "failed" && !i.providerTransferId && (
                    <ActionForm action={retryPayoutItemAction} submitLabel="Retry transfer" variant="secondary">
                      <input type="hidden" name="batchId" value={batchId} />
                      <input type="hidden" name="itemId" value={i.id} />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
