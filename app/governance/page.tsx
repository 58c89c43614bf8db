import Link from "next/link";
import type { Metadata } from "next";
import { listProposals, listDraftProposals } from "@/lib/governance/list-proposals";
import { listRoster } from "@/lib/governance/take-roster-snapshot";
import { governanceNow, testClockEnabled } from "@/lib/governance/clock";
import { proposalKindLabels, type ProposalKind } from "@/lib/governance/proposal-kinds";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess } from "@/lib/access/user-access";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { TestClockBanner } from "./test-clock-banner";

export const metadata: Metadata = { title: "Governance" };

const label = (k: string) => proposalKindLabels[k as ProposalKind] ?? k;
const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "");

/** Public: every open and closed vote, the roster, and links to the release manifest. */
export default async function GovernancePage() {
  const [{ open, closed }, roster, now, session, forks] = await Promise.all([
    listProposals(),
    listRoster(),
    governanceNow(),
    getCurrentSession(),
    listForkOrigins(),
  ]);
  const access = session ? await getUserAccess(session.userId) : null;
  const canPropose = access?.roles.some((r) => r === "MEMBER" || r === "COMMITTER" || r === "ORG_ADMIN") ?? false;
  const drafts = session && canPropose ? await listDraftProposals(session.userId) : [];
  return (
    <div className="space-y-8">
      <TestClockBanner on={testClockEnabled()} now={now} />
      <ForkNotice forks={forks} />
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Governance</h1>
        <span className="ml-auto flex gap-3 text-sm">
          <Link href="/governance/releases">Releases and manifest</Link>
          {access?.roles.includes("ORG_ADMIN") && <Link href="/governance/rules">Rules</Link>}
          {canPropose && (
            <Link className="btn" href="/governance/new">
              New proposal
            </Link>
          )}
        </span>
      </div>
      <p className="max-w-3xl text-sm text-stone-700">
        Members cast binding votes and committers non-binding ones, each ballot signed with the voter&apos;s passkey.
        Every vote can be re-verified from its public export without trusting Guildhall:{" "}
        <code>npm run cli -- governance verify ID --file export.json</code>.
      </p>
      {drafts.length > 0 && (
        <section className="card" data-testid="drafts">
          <h2 className="mb-2 font-semibold">Your drafts</h2>
          <ul className="text-sm">
            {drafts.map((d) => (
              <li key={d.id}>
                <Link href={`/governance/${d.id}`}>{d.title}</Link> · {label(d.kind)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2 className="mb-2 text-lg font-semibold">Open votes</h2>
        {open.length === 0 ? (
          <p className="text-sm text-stone-600">No vote is open.</p>
        ) : (
          <table className="table" data-testid="open-proposals">
            <thead>
              <tr>
                <th>Proposal</th>
                <th>Kind</th>
                <th>Closes</th>
                <th>Ballots</th>
              </tr>
            </thead>
            <tbody>
              {open.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/governance/${p.id}`}>{p.title}</Link>
                    <OriginMark origin={originOfRecord(forks, p.openedAt)} />
                  </td>
                  <td>{label(p.kind)}</td>
                  <td>{when(p.closesAt)}</td>
                  <td>{p._count.ballots}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Closed votes</h2>
        {closed.length === 0 ? (
          <p className="text-sm text-stone-600">No vote has closed yet.</p>
        ) : (
          <table className="table" data-testid="closed-proposals">
            <thead>
              <tr>
                <th>Proposal</th>
                <th>Kind</th>
                <th>Closed</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {closed.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/governance/${p.id}`}>{p.title}</Link>
                    <OriginMark origin={originOfRecord(forks, p.openedAt)} />
                  </td>
                  <td>{label(p.kind)}</td>
                  <td>{when(p.closedAt)}</td>
                  <td className={p.outcome === "passed" ? "text-green-700" : "text-stone-600"}>{p.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Roster</h2>
        <table className="table" data-testid="roster">
          <thead>
            <tr>
              <th>Name</th>
              <th>Vote</th>
            </tr>
          </thead>
          <tbody>
            {roster.map((r) => (
              <tr key={r.userId}>
                <td>{r.name ?? r.userId}</td>
                <td>{r.binding ? "binding (member)" : "non-binding (committer)"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-xs text-stone-500">
          The roster is everyone who holds the member (binding vote) or committer (non-binding vote) role now. It
          changes when a roster-change vote passes, or when an org admin grants or revokes one of these roles, which is
          recorded with its reason in the audit log. Each vote counts the roster as it stood when the vote opened.
        </p>
      </section>
    </div>
  );
}
