import Link from "next/link";
import { BatchStatusBadge } from "@/app/finance/batch-status";
import { formatMoney } from "@/lib/money/format-money";
import { limits } from "@/lib/config/limits";
import type { listPayoutBatches } from "@/lib/payouts/list-payout-batches";
import { type ForkOriginSummary, originOfRecord } from "@/lib/portability/list-fork-origins";
import { OriginMark } from "@/app/origin-mark";

type Batch = Awaited<ReturnType<typeof listPayoutBatches>>["batches"][number];

/** Payout batches as finance reads them: state in words (with failed transfers), payees, total, approvals, date. */
export function BatchTable({ batches, forks }: { batches: Batch[]; forks: readonly ForkOriginSummary[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="table" data-testid="batches">
        <thead>
          <tr>
            <th>Batch</th>
            <th>Status</th>
            <th>Payees</th>
            <th>Total</th>
            <th>Approvals</th>
            <th>Proposed (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => (
            <tr key={b.id}>
              <td>
                <Link href={`/finance/batches/${b.id}`} className="font-mono">
                  {b.id}
                </Link>
                <OriginMark origin={originOfRecord(forks, b.createdAt)} />
              </td>
              <td>
                <BatchStatusBadge status={b.status} />
                {b._count.items > 0 && (
                  <span className="block text-xs text-red-800">
                    {b._count.items} of {b.itemCount} transfers failed
                  </span>
                )}
              </td>
              <td>{b.itemCount}</td>
              <td>{formatMoney(b.totalMinor, b.currency)}</td>
              <td>
                {b.approvals.length} of {limits.approvals.payoutBatch}
              </td>
              <td className="whitespace-nowrap">{b.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
