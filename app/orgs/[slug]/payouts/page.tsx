import Link from "next/link";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { requirePayeeViewer } from "@/lib/payouts/require-payee-viewer";
import { getPayeeStatement } from "@/lib/payouts/get-payee-statement";
import { orRefusalPage } from "@/app/or-refusal-page";
import { formatMoney } from "@/lib/money/format-money";
import { statementChannelLabel } from "@/lib/payment-provider/payment-channels";
import { usagePeriodShifted } from "@/lib/splits/usage-period";
import { findLogEntryIndexes } from "@/lib/transparency/find-log-receipt";
import { ActionForm } from "@/app/action-form";
import { connectPayoutAccountAction, reportUsageAction } from "@/app/orgs/[slug]/payouts/actions";

export const metadata = { title: "Payouts" };

export default async function OrgPayoutsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { access } = await requirePageAccess("signed-in", `/orgs/${slug}/payouts`);
  const payee = await orRefusalPage(requirePayeeViewer(access, slug));
  const [s, forks] = await Promise.all([getPayeeStatement(payee.orgId), listForkOrigins()]);
  // Each payout is an entry of the public log; its page there shows the inclusion proof and checks it.
  const logEntries = await findLogEntryIndexes(
    "payout_item",
    s.items.map((i) => i.id),
  );
  const isMember = access.memberships.some((m) => m.orgId === payee.orgId);
  return (
    <div className="space-y-6">
      <ForkNotice forks={forks} />
      <h1 className="text-2xl font-semibold">Payouts: {s.org.name}</h1>
      <section className="card space-y-2">
        <h2 className="font-semibold">Owed now</h2>
        {s.balances.length === 0 && <p className="text-sm text-stone-600">Nothing yet.</p>}
        <ul data-testid="owed">
          {s.balances.map((b) => (
            <li key={b.accountId}>
              {formatMoney(b.owedMinor, b.currency)}
              {b.owedMinor < 0 ? " (owed back; deducted from your next payout)" : ""}
            </li>
          ))}
        </ul>
        <p className="text-sm text-stone-600">
          Payout account: {s.payee ? `${s.payee.provider}, ${s.payee.onboardingStatus}` : "not connected"}.
        </p>
        <div className="flex flex-wrap gap-3">
          {isMember && s.payee?.onboardingStatus !== "complete" && (
            <ActionForm
              action={connectPayoutAccountAction}
              submitLabel="Connect a payout account"
              className="flex flex-wrap items-center gap-2"
            >
              <input type="hidden" name="slug" value={slug} />
              {!s.payee && (
                <label className="text-sm">
                  Country of the bank account (two letters, such as DE)
                  <input className="input ml-2 w-20 uppercase" name="country" pattern="[A-Za-z]{2}" maxLength={2} />
                </label>
              )}
            </ActionForm>
          )}
          <a className="btn-secondary" href={`/api/orgs/${slug}/payouts/statement`}>
            Download statement (CSV)
          </a>
        </div>
      </section>
      {isMember && payee.kind === "host_payable" && (
        <ActionForm
          action={reportUsageAction}
          submitLabel="Report usage"
          variant="secondary"
          className="card flex flex-wrap items-end gap-3"
        >
          <input type="hidden" name="slug" value={slug} />
          <div>
            <label className="label" htmlFor="period">
              Usage month
            </label>
            {/* Only a month that has ended can be reported: it weighs the next month's sales. */}
            <input
              id="period"
              name="period"
              type="month"
              className="input"
              max={usagePeriodShifted(new Date(), -1)}
              defaultValue={usagePeriodShifted(new Date(), -1)}
              required
            />
          </div>
          <div>
            <label className="label" htmlFor="units">
              Units served
            </label>
            <input id="units" name="units" type="number" min={0} className="input" required />
          </div>
        </ActionForm>
      )}
      <section className="card">
        <h2 className="mb-2 font-semibold">Payouts</h2>
        <table className="table" data-testid="payout-items">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Date</th>
              <th className="text-right">Amount</th>
              <th>Status</th>
              <th>Public log</th>
            </tr>
          </thead>
          <tbody>
            {s.items.map((i) => (
              <tr key={i.id}>
                <td className="font-mono text-xs">
                  {i.batchId}
                  <OriginMark origin={originOfRecord(forks, i.batch.createdAt)} />
                </td>
                <td>{i.batch.createdAt.toISOString().slice(0, 10)}</td>
                <td className="text-right font-mono">{formatMoney(i.amountMinor, i.currency)}</td>
                <td>{i.status}</td>
                <td>
                  {logEntries.has(i.id) ? (
                    <Link className="underline" href={`/log?entry=${logEntries.get(i.id)}`}>
                      entry {logEntries.get(i.id)}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2 className="mb-2 font-semibold">Ledger lines</h2>
        <table className="table" data-testid="statement-lines">
          <thead>
            <tr>
              <th>Date</th>
              <th>Kind</th>
              <th>Channel</th>
              <th>Order</th>
              <th className="text-right">Amount</th>
            </tr>
          </thead>
          <tbody>
            {s.lines.map((l) => (
              <tr key={`${l.entryId}`}>
                <td>
                  {l.occurredAt.toISOString().slice(0, 16).replace("T", " ")}
                  <OriginMark origin={originOfRecord(forks, l.occurredAt)} />
                </td>
                <td>{l.kind}</td>
                <td>{statementChannelLabel(l.channel)}</td>
                <td className="font-mono text-xs">{l.orderId ?? ""}</td>
                <td className="text-right font-mono">{formatMoney(l.amountMinor, l.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
