import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listFundingPayments } from "@/lib/funding/list-funding-payments";
import { formatMoney } from "@/lib/money/format-money";
import { channelLabel } from "@/lib/payment-provider/payment-channels";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata = { title: "Funding payments" };

/** Funders' payments of release lines and hosts, newest first; each links to its page, where it is refunded. */
export default async function FundingPaymentsPage() {
  await requirePageAccess({ role: "FINANCE" }, "/finance/fundings");
  const [payments, forks] = await Promise.all([listFundingPayments(), listForkOrigins()]);
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Funding payments</h1>
      <ForkNotice forks={forks} />
      <section className="card">
        {payments.length === 0 ? (
          <p className="text-sm text-stone-600">No funder has paid yet.</p>
        ) : (
          <table className="table" data-testid="funding-payments">
            <thead>
              <tr>
                <th>Paid</th>
                <th>Funds</th>
                <th>How often</th>
                <th>Provider</th>
                <th className="text-right">Amount</th>
                <th className="text-right">Fee</th>
                <th className="text-right">Refunded</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id} data-testid="funding-payment">
                  <td className="text-xs">
                    <Link href={`/finance/fundings/payments/${p.id}`}>
                      {p.paidAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                    </Link>
                    <OriginMark origin={originOfRecord(forks, p.paidAt)} />
                  </td>
                  <td>{p.target}</td>
                  <td>{p.interval === "month" ? "monthly" : "once"}</td>
                  <td>{channelLabel(p.provider)}</td>
                  <td className="text-right font-mono">{formatMoney(p.amountMinor, p.currency)}</td>
                  <td className="text-right font-mono">{formatMoney(p.feeMinor, p.currency)}</td>
                  <td className="text-right font-mono">{formatMoney(p.refundedMinor, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
