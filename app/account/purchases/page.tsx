import type { Metadata } from "next";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listReceiptsOfUser } from "@/lib/payments/receipts/list-receipts-of-user";
import { formatMoney } from "@/lib/money/format-money";
import { formatTime } from "@/app/format-time";

export const metadata: Metadata = { title: "Your purchases" };

const payeeLabels = {
  theater: "Theater",
  host: "Host",
  developers_fund: "Developers' fund",
  org: "Guildhall",
} as const;

/** The signed receipts of what the person bought: tickets and licenses, each downloadable, or all at once. */
export default async function PurchasesPage() {
  const { session } = await requirePageAccess("signed-in", "/account/purchases");
  const [receipts, forks] = await Promise.all([listReceiptsOfUser(session.userId), listForkOrigins()]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Your purchases</h1>
        <p className="text-sm text-stone-600">
          Each purchase has a receipt signed by Guildhall&apos;s receipt key, which anyone can check without asking
          Guildhall (<code>tools/receipt-verify</code>, keys at <code>/.well-known/guildhall/receipt-keys</code>). A
          receipt names you only by a code that this theater alone sees, never by your email address.
        </p>
      </div>
      <ForkNotice forks={forks} />
      {forks.length > 0 && (
        <p className="text-sm text-stone-600">
          A receipt from before the fork is signed by the origin&apos;s receipt key, which this Guildhall still
          publishes beside its own, so it verifies here as it did there.
        </p>
      )}
      {receipts.length === 0 ? (
        <p className="text-stone-600" data-testid="no-purchases">
          You have bought nothing through Guildhall yet. Tickets a host sold you while you were signed in there, and
          licenses you bought for a theater, appear here.
        </p>
      ) : (
        <a className="btn" href="/api/account/receipts" download data-testid="download-all-receipts">
          Download all receipts ({receipts.length})
        </a>
      )}
      <ul className="space-y-4" data-testid="purchases">
        {receipts.map(({ id, claims }) => (
          <li key={id} className="card space-y-2" data-testid={`receipt-${id}`} data-order={claims.order}>
            <div className="flex items-start justify-between gap-4">
              <div>
                <div className="font-medium">
                  {claims.item.description}
                  <OriginMark origin={originOfRecord(forks, claims.paidAt)} />
                </div>
                <div className="text-sm text-stone-600">
                  {claims.kind === "ticket" ? `${claims.item.quantity ?? ""} ticket(s)` : "License"} from{" "}
                  {claims.theater.name} · paid {formatTime(claims.paidAt)}
                </div>
              </div>
              <div className="text-right">
                <div className="font-semibold">{formatMoney(claims.price.amountMinor, claims.price.currency)}</div>
                <a className="text-sm" href={`/api/account/receipts/${id}`} download data-testid={`download-${id}`}>
                  Download receipt
                </a>
              </div>
            </div>
            <details className="text-sm text-stone-600">
              <summary>Where the money went</summary>
              <ul>
                <li>Payment processing: {formatMoney(claims.price.feeMinor, claims.price.currency)}</li>
                {claims.split.parts.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a signed receipt's parts never reorder.
                  <li key={i}>
                    {payeeLabels[p.payee]}: {formatMoney(p.amountMinor, claims.price.currency)}
                  </li>
                ))}
              </ul>
              <p>
                Split policy version {claims.split.policyVersion}; public log entry {claims.log.index} of{" "}
                {claims.log.origin} (<a href={`/api/log/receipt?kind=order&id=${claims.order}`}>its inclusion proof</a>
                ).
              </p>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
