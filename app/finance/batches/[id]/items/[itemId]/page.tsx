import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { orRefusalPage } from "@/app/or-refusal-page";
import { getPayoutItemSources } from "@/lib/payouts/get-payout-item-sources";
import { formatMoney } from "@/lib/money/format-money";
import { kindLabels } from "@/app/finance/money-chart";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { LogReceiptLine } from "@/app/log/log-receipt-line";

export const metadata = { title: "Payout item sources" };

export default async function PayoutItemSourcesPage({ params }: { params: Promise<{ id: string; itemId: string }> }) {
  const { id, itemId } = await params;
  await requirePageAccess({ role: "FINANCE" }, `/finance/batches/${id}/items/${itemId}`);
  const { item, lines, truncated } = await orRefusalPage(getPayoutItemSources({ batchId: id, itemId }));
  const [receipt, forks] = await Promise.all([
    findLogReceiptIfAny({ kind: "payout_item", id: itemId }),
    listForkOrigins(),
  ]);
  return (
    <div className="space-y-6">
      <Link href={`/finance/batches/${id}`} className="text-sm text-accent">
        ← Batch {id}
      </Link>
      <h1 className="text-2xl font-semibold">
        Sources of {formatMoney(item.amountMinor, item.currency)} for{" "}
        <span className="font-mono text-base">{item.ledgerAccountId}</span>
        <OriginMark origin={originOfRecord(forks, item.madeAt)} />
      </h1>
      <ForkNotice forks={forks} />
      <p className="text-sm text-stone-600">
        Every entry that moved this payee&apos;s balance since its previous payout item, with the whole split of each.
        The item pays the balance, which also carries earlier negative balances and returned payouts.
        {truncated ? " Showing the latest 200." : ""}
      </p>
      <LogReceiptLine receipt={receipt} what="This payout" testId="item-log-receipt" />
      <table className="table" data-testid="sources">
        <thead>
          <tr>
            <th>When</th>
            <th>Entry</th>
            <th>Order</th>
            <th className="text-right">Gross</th>
            <th className="text-right">This payee</th>
            <th>Split</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.entryId}>
              <td>
                {l.occurredAt.toISOString().slice(0, 16).replace("T", " ")}
                <OriginMark origin={originOfRecord(forks, l.occurredAt)} />
              </td>
              <td>{l.entryKind}</td>
              <td className="font-mono text-xs">{l.orderId ?? ""}</td>
              <td className="text-right font-mono">
                {l.grossMinor !== null ? formatMoney(l.grossMinor, item.currency) : ""}
              </td>
              <td className="text-right font-mono">{formatMoney(l.amountMinor, item.currency)}</td>
              <td className="text-xs">
                {l.split.map((p) => (
                  <div key={p.accountId}>
                    {kindLabels[p.kind] ?? p.kind}
                    {p.orgId ? ` (${p.orgId.slice(0, 12)}…)` : ""}: {formatMoney(-p.amountMinor, item.currency)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
