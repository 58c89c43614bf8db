import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { formatMoney } from "@/lib/money/format-money";
import { listSplitPolicies } from "@/lib/splits/list-split-policies";
import { findLogEntryIndexes } from "@/lib/transparency/find-log-receipt";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ActionForm } from "@/app/action-form";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { approveSplitPolicyAction, draftSplitPolicyAction } from "@/app/finance/policies/actions";

export const metadata = { title: "Split policies" };

const bps = (n: number) => `${(n / 100).toFixed(2)} %`;

const productWords: Record<string, string> = {
  TICKET_SALE: "Ticket sales",
  LICENSE_SALE: "License sales",
  LINE_FUNDING: "Funding of release lines and hosts",
};
const statusWords: Record<string, string> = {
  draft: "draft",
  active: "active",
  superseded: "replaced",
};

// The form's fields, in words: the API takes basis points (100 = 1 %) and amounts in the currency's minor unit.
const shareFields = [
  { name: "theaterBps", label: "Theater's share" },
  { name: "developersFundBps", label: "Developers' fund share" },
  { name: "hostsBps", label: "Hosts' share" },
  { name: "orgBps", label: "Guildhall's share" },
] as const;

export default async function SplitPoliciesPage() {
  const { session } = await requirePageAccess({ role: "FINANCE" }, "/finance/policies");
  const [policies, forks] = await Promise.all([listSplitPolicies(), listForkOrigins()]);
  // An activation is an entry of the public log; its page there shows the inclusion proof and checks it.
  const activations = await findLogEntryIndexes(
    "split_policy",
    policies.map((p) => p.id),
  );
  return (
    <div className="space-y-6">
      <Link href="/finance" className="text-sm text-accent">
        ← Finance
      </Link>
      <h1 className="text-2xl font-semibold">Split policies</h1>
      <ForkNotice forks={forks} />
      <p className="text-sm text-stone-600">
        A version becomes active after two different finance users approve it, or when a governance vote passes it.
        Fixed fees come off the net first; the rest is split by basis points.
      </p>
      <table className="table" data-testid="policies">
        <thead>
          <tr>
            <th>Product</th>
            <th>Currency</th>
            <th>Version</th>
            <th>Status</th>
            <th>Theater</th>
            <th>Dev fund</th>
            <th>Hosts</th>
            <th>Org</th>
            <th>Fixed (org / fund)</th>
            <th>Hosts by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.id}>
              <td>{productWords[p.productKind] ?? p.productKind}</td>
              <td>{p.currency}</td>
              <td>
                v{p.version}
                <OriginMark origin={originOfRecord(forks, p.createdAt)} />
              </td>
              <td>
                {statusWords[p.status] ?? p.status}
                {p.activatedVia ? ` (${p.activatedVia})` : ""}
                {activations.has(p.id) && (
                  <>
                    {" · "}
                    <Link className="underline" href={`/log?entry=${activations.get(p.id)}`}>
                      activation logged as entry {activations.get(p.id)}
                    </Link>
                  </>
                )}
              </td>
              <td>{bps(p.theaterBps)}</td>
              <td>{bps(p.developersFundBps)}</td>
              <td>{bps(p.hostsBps)}</td>
              <td>{bps(p.orgBps)}</td>
              <td>
                {formatMoney(p.orgFixedMinor, p.currency)} / {formatMoney(p.developersFundFixedMinor, p.currency)}
              </td>
              <td>{p.hostRule}</td>
              <td>
                {p.status === "draft" && !p.approvals.some((a) => a.userId === session.userId) ? (
                  <ActionForm
                    action={approveSplitPolicyAction}
                    submitLabel={`Approve (${p.approvals.length}/2)`}
                    variant="secondary"
                  >
                    <input type="hidden" name="policyId" value={p.id} />
                  </ActionForm>
                ) : p.status === "draft" ? (
                  `${p.approvals.length}/2 approvals`
                ) : (
                  ""
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionForm
        action={draftSplitPolicyAction}
        submitLabel="Draft version"
        className="card grid grid-cols-2 gap-3 md:grid-cols-4"
      >
        <h2 className="col-span-full font-semibold">Draft a new version</h2>
        <label className="text-sm">
          Product
          <select name="productKind" className="input">
            <option value="TICKET_SALE">Ticket sales</option>
            <option value="LICENSE_SALE">License sales</option>
            <option value="LINE_FUNDING">Funding of release lines and hosts (theater share 0)</option>
          </select>
        </label>
        <label className="text-sm">
          Currency
          <input name="currency" className="input" defaultValue="EUR" />
        </label>
        <label className="text-sm">
          Hosts divided by
          <select name="hostRule" className="input">
            <option value="equal">equal shares</option>
            <option value="usage">reported usage</option>
          </select>
        </label>
        <span />
        <p className="col-span-full text-sm text-stone-600">
          Shares in basis points: 100 is 1 %, and the four shares add up to 10,000. Fixed fees are per sale, in the
          currency's smallest unit (cents for EUR).
        </p>
        {shareFields.map((f) => (
          <label key={f.name} className="text-sm">
            {f.label} (basis points)
            <input name={f.name} type="number" min={0} max={10000} className="input" required />
          </label>
        ))}
        <label className="text-sm">
          Guildhall's fixed fee per sale
          <input name="orgFixedMinor" type="number" min={0} defaultValue={0} className="input" />
        </label>
        <label className="text-sm">
          Developers' fund fixed fee per sale
          <input name="developersFundFixedMinor" type="number" min={0} defaultValue={0} className="input" />
        </label>
        <label className="col-span-2 text-sm">
          Note
          <input name="note" className="input" />
        </label>
      </ActionForm>
    </div>
  );
}
