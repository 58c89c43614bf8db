import Link from "next/link";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listSplitPolicies } from "@/lib/splits/list-split-policies";
import { findLogEntryIndexes } from "@/lib/transparency/find-log-receipt";

export const metadata = { title: "Split policies" };

const bps = (n: number) => `${(n / 100).toFixed(2)} %`;

export default async function SplitPoliciesPage() {
  const { session } = await requirePageAccess({ role: "FINANCE" }, "/finance/policies");
  const policies = await listSplitPolicies();
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
              <td>{p.productKind}</td>
              <td>{p.currency}</td>
              <td>v{p.version}</td>
              <td>
                {p.status}
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
                {p.orgFixedMinor} / {p.developersFundFixedMinor}
              </td>
              <td>{p.hostRule}</td>
              <td>
                {p.status === "draft" && !p.approvals.some((a) => a.userId === session.userId) ? (
                  <form method="post" action={`/api/finance/policies/${p.id}/approve`}>
                    <button className="btn-secondary" type="submit">
                      Approve ({p.approvals.length}/2)
                    </button>
                  </form>
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
      <form method="post" action="/api/finance/policies" className="card grid grid-cols-2 gap-3 md:grid-cols-4">
        <h2 className="col-span-full font-semibold">Draft a new version</h2>
        <label className="text-sm">
          Product
          <select name="productKind" className="input">
            <option>TICKET_SALE</option>
            <option>LICENSE_SALE</option>
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
        {["theaterBps", "developersFundBps", "hostsBps", "orgBps"].map((n) => (
          <label key={n} className="text-sm">
            {n}
            <input name={n} type="number" min={0} max={10000} className="input" required />
          </label>
        ))}
        <label className="text-sm">
          orgFixedMinor
          <input name="orgFixedMinor" type="number" min={0} defaultValue={0} className="input" />
        </label>
        <label className="text-sm">
          developersFundFixedMinor
          <input name="developersFundFixedMinor" type="number" min={0} defaultValue={0} className="input" />
        </label>
        <label className="col-span-2 text-sm">
          Note
          <input name="note" className="input" />
        </label>
        <div className="col-span-full">
          <button className="btn" type="submit">
            Draft version
          </button>
        </div>
      </form>
    </div>
  );
}
