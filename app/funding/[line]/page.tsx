import { notFound } from "next/navigation";
import { orRefusalPage } from "@/app/or-refusal-page";
import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess } from "@/lib/access/user-access";
import { getReleaseLineFunding } from "@/lib/funding/get-release-line-funding";
import { formatMoney } from "@/lib/money/format-money";
import { ActionForm } from "@/app/action-form";
import { declareHostLineCostAction, startFundingAction } from "@/app/funding/actions";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata: Metadata = { title: "Funding a release line" };

const statusWords: Record<string, string> = {
  active: "renewing monthly",
  past_due: "a payment failed; the provider is retrying",
  canceling: "ends at its paid period's end",
  paused: "paused by its funder",
  paid: "paid once",
};

/** How a funder pays, in words: the web checkout, or a subscription in an app store. */
const channelWords: Record<string, string> = {
  stripe: "on the web",
  simulated: "on the web (simulated)",
  apple: "App Store subscription",
  google: "Google Play subscription",
};

/** The line's name as the address carries it encoded; a malformed escape ("%E0%A4%A") names no line. */
function decodedLineName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    notFound();
  }
}

/**
 * Public: who runs a release line, what it costs them, who funds it (by name only when the funder chose
 * that) and how long what was received covers the hosts' declared cost. Signed in, anyone can fund the line
 * or one of its hosts; a host's operator declares its monthly cost here.
 */
export default async function LineFundingPage({ params }: { params: Promise<{ line: string }> }) {
  const { line: lineName } = await params;
  const view = await orRefusalPage(getReleaseLineFunding(decodedLineName(lineName)));
  const [session, forks] = await Promise.all([getCurrentSession(), listForkOrigins()]);
  const access = session ? await getUserAccess(session.userId) : null;
  const operated = view.hosts.filter((h) =>
    access?.memberships.some((m) => m.orgId === h.id && m.role === "HOST_OPERATOR"),
  );
  const { line, hosts, funders, coverage } = view;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Funding the {line.name} release line</h1>
      <ForkNotice forks={forks} />
      <p className="text-sm text-stone-600">
        {line.description} A line stays available for as long as someone pays for the hosts that run it. Funding is
        split among those hosts by the funding policy (by the usage they report, or equally).
      </p>
      <section className="card space-y-2" data-testid="line-coverage">
        <h2 className="font-semibold">Coverage</h2>
        {coverage.length === 0 && <p className="text-sm">No host has declared a cost and nobody funds it yet.</p>}
        {coverage.map((c) => (
          <p key={c.currency} className="text-sm">
            {c.neededMonthlyMinor > 0n
              ? `The hosts declare ${formatMoney(c.neededMonthlyMinor, c.currency)} a month; `
              : `No host has declared a cost in ${c.currency}; `}
            monthly funding brings {formatMoney(c.fundedMonthlyMinor, c.currency)}
            {c.neededMonthlyMinor > 0n &&
              ` (${Math.floor(Number((c.fundedMonthlyMinor * 100n) / c.neededMonthlyMinor))}% of it)`}
            . Received so far, after the payment provider's fees: {formatMoney(c.receivedNetMinor, c.currency)}
            {c.monthsCovered !== null && `, ${c.monthsCovered} months of the hosts' declared cost`}.
          </p>
        ))}
      </section>
      <section className="card">
        <h2 className="mb-2 font-semibold">Hosts running it</h2>
        {hosts.length === 0 ? (
          <p className="text-sm">No admitted host runs this line: it cannot be funded now.</p>
        ) : (
          <table className="table" data-testid="line-hosts">
            <thead>
              <tr>
                <th>Host</th>
                <th className="text-right">Declared monthly cost</th>
              </tr>
            </thead>
            <tbody>
              {hosts.map((h) => (
                <tr key={h.id}>
                  <td>{h.name}</td>
                  <td className="text-right font-mono">
                    {h.monthlyCostMinor !== null && h.costCurrency
                      ? formatMoney(h.monthlyCostMinor, h.costCurrency)
                      : "not declared"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2 className="mb-2 font-semibold">Funders</h2>
        {funders.length === 0 ? (
          <p className="text-sm">Nobody funds this line yet.</p>
        ) : (
          <table className="table" data-testid="line-funders">
            <thead>
              <tr>
                <th>Funder</th>
                <th>For</th>
                <th className="text-right">Amount</th>
                <th>Paid via</th>
                <th>State</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {funders.map((f) => (
                <tr key={f.id}>
                  <td>
                    {f.name ?? "Anonymous"}
                    <OriginMark origin={originOfRecord(forks, f.since)} />
                  </td>
                  <td>{f.hostName ?? "the whole line"}</td>
                  <td className="text-right font-mono">
                    {formatMoney(f.amountMinor, f.currency)}
                    {f.interval === "month" ? " a month" : ""}
                  </td>
                  <td>{channelWords[f.channel] ?? f.channel}</td>
                  <td>{statusWords[f.status] ?? f.status}</td>
                  <td>{f.since.toISOString().slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {session && hosts.length > 0 && (
        <section className="card space-y-2">
          <h2 className="font-semibold">Fund it</h2>
          <ActionForm action={startFundingAction} submitLabel="Continue to payment" testId="fund-form">
            <input type="hidden" name="requestKey" value={randomUUID()} />
            <input type="hidden" name="releaseLineId" value={line.id} />
            <label className="block text-sm">
              What to fund
              <select name="target" className="input">
                <option value="line">The whole line (split among its hosts)</option>
                {hosts.map((h) => (
                  <option key={h.id} value={`host:${h.slug}`}>
                    Only {h.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="flex flex-wrap gap-3">
              <label className="text-sm">
                Amount
                <input name="amount" className="input w-32" inputMode="decimal" placeholder="20.00" required />
              </label>
              <label className="text-sm">
                Currency
                <select name="currency" className="input">
                  <option value="EUR">EUR</option>
                  <option value="USD">USD</option>
                </select>
              </label>
              <label className="text-sm">
                How often
                <select name="interval" className="input">
                  <option value="month">Every month, until I cancel</option>
                  <option value="once">Once</option>
                </select>
              </label>
            </div>
            <label className="block text-sm">
              Name to show on this page (leave empty to be listed as Anonymous)
              <input name="publicName" className="input" maxLength={80} />
            </label>
          </ActionForm>
        </section>
      )}
      {!session && <p className="text-sm">Sign in to fund this line.</p>}
      {operated.map((h) => (
        <section key={h.id} className="card space-y-2">
          <h2 className="font-semibold">Your host's cost: {h.name}</h2>
          <ActionForm action={declareHostLineCostAction} submitLabel="Declare cost" variant="secondary">
            <input type="hidden" name="hostSlug" value={h.slug} />
            <input type="hidden" name="releaseLineId" value={line.id} />
            <div className="flex flex-wrap gap-3">
              <label className="text-sm">
                Monthly cost of running this line
                <input name="monthlyCost" className="input w-32" inputMode="decimal" required />
              </label>
              <label className="text-sm">
                Currency
                <select name="currency" className="input" defaultValue={h.costCurrency ?? "EUR"}>
                  <option value="EUR">EUR</option>
                  <option value="USD">USD</option>
                </select>
              </label>
            </div>
          </ActionForm>
        </section>
      ))}
    </div>
  );
}
