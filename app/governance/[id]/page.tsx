import { orRefusalPage } from "@/app/or-refusal-page";
import Link from "next/link";
import type { Metadata } from "next";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess } from "@/lib/access/user-access";
import { getProposalView } from "@/lib/governance/get-proposal-view";
import { describeRule, proposalKindLabels, type ProposalKind } from "@/lib/governance/proposal-kinds";
import type { Rule, Tally } from "@/lib/governance/verifier/tally-rules";
import { TestClockBanner } from "../test-clock-banner";
import { ProposalContent } from "./proposal-content";
import { VotePanel } from "./vote-panel";
import { ProposalAction } from "./proposal-actions";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { LogReceiptLine } from "@/app/log/log-receipt-line";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";

export const metadata: Metadata = { title: "Proposal" };

const when = (s: string | null) => (s ? `${s.replace("T", " ").slice(0, 16)} UTC` : "—");
const signed = (n: number) => (n > 0 ? "+1" : n < 0 ? "-1" : "0");

/** Where the vote stands against its rule, in one sentence: "2 of 3 binding +1 so far". */
function progressLine(rule: Rule, t: Tally): string {
  if (rule.type === "majority") {
    const cast = t.binding.plus + t.binding.zero + t.binding.minus;
    return `${cast} of ${t.quorumRequired ?? "?"} binding votes needed for the quorum (${t.bindingRosterSize} binding voters); ${t.binding.plus} binding +1 and ${t.binding.minus} binding -1 so far: more than half of the binding votes must be +1.`;
  }
  const vetoes =
    t.vetoes.length > 0 ? ` ${t.vetoes.length} veto${t.vetoes.length > 1 ? "es" : ""}: it cannot pass.` : "";
  const against = rule.type === "release" ? ` (and more +1 than -1; ${t.binding.minus} binding -1 so far)` : "";
  return `${t.binding.plus} of ${rule.minBindingApprovals} binding +1 so far${against}.${vetoes}`;
}

/** Public: a proposal, its rule, every ballot with its signature status, the tally and the outcome. */
export default async function ProposalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await getCurrentSession();
  const view = await orRefusalPage(getProposalView({ proposalId: id, viewerId: session?.userId }));
  const kindLabel = (k: string) => proposalKindLabels[k as ProposalKind] ?? k;

  if (view.draft) {
    return (
      <div className="space-y-6">
        <TestClockBanner on={view.testClock} now={view.now} />
        <h1 className="text-2xl font-semibold">
          {view.draft.title} <span className="text-base font-normal text-stone-500">(draft)</span>
        </h1>
        <p className="text-sm">
          {kindLabel(view.draft.kind)} · {describeRule(view.draft.rule as Rule)} · window {view.draft.windowHours} h
        </p>
        <div className="card">
          <ProposalContent kind={view.draft.kind} content={view.draft.content} />
        </div>
        <ProposalAction proposalId={id} action="open" label="Open the vote" />
      </div>
    );
  }

  const { exported: e, verdict, names, viewerEntry, viewerBallot, now } = view;
  const p = e.proposal;
  const access = session ? await getUserAccess(session.userId) : null;
  const windowOver = now.getTime() >= Date.parse(p.closesAt);
  const canClose =
    p.status === "open" &&
    windowOver &&
    (access?.roles.some((r) => r === "MEMBER" || r === "COMMITTER" || r === "ORG_ADMIN") ?? false);
  const artifactDigest =
    p.kind === "release" ? String((p.content as { artifactSha256?: unknown }).artifactSha256 ?? "") : null;
  const binding = new Map(e.roster.map((r) => [r.userId, r.binding]));
  const counted = new Set(verdict.recomputed.countedBallotIds);
  const t = p.status === "closed" && e.result ? e.result.tally : verdict.recomputed.tally;
  const outcome = p.status === "closed" ? e.result?.outcome : null;
  const logEntryOf = new Map(e.ballots.map((b) => [b.id, b.logEntry]));
  const [ballotReceipt, tallyReceipt, forks] = await Promise.all([
    viewerBallot ? findLogReceiptIfAny({ kind: "ballot", id: viewerBallot.id }) : null,
    p.status === "closed" ? findLogReceiptIfAny({ kind: "tally", id: p.id }) : null,
    listForkOrigins(),
  ]);
  const openedAt = originOfRecord(forks, p.openedAt);
  const continuedSince = e.relyingPartyChanges?.[0];

  return (
    <div className="space-y-6">
      <TestClockBanner on={view.testClock} now={now} />
      <ForkNotice forks={forks} />
      <div>
        <p className="text-sm text-stone-600">
          {kindLabel(p.kind)} · {p.status === "open" ? `open until ${when(p.closesAt)}` : `closed ${when(p.closedAt)}`}
        </p>
        <h1 className="text-2xl font-semibold">
          {p.title}
          <OriginMark origin={openedAt} />
        </h1>
        {openedAt && continuedSince && (
          <p className="mt-1 max-w-3xl text-sm text-stone-700" data-testid="continued-at-fork">
            This vote opened at {openedAt.host} and continues here since the fork ({when(continuedSince.from)}): the
            ballots cast there before the fork are signed with passkeys of {e.relyingParty.origin}, those cast here
            since with passkeys added at {continuedSince.origin}. Both count; each voter&apos;s last ballot is the one
            counted.
          </p>
        )}
      </div>
      {outcome && (
        <p
          className={`card font-medium ${outcome === "passed" ? "text-green-800" : "text-stone-800"}`}
          data-testid="outcome"
        >
          {outcome === "passed" ? "Passed" : "Rejected"}: {e.result?.reason}. {e.result?.effectNote}
        </p>
      )}
      <section className="card space-y-3">
        <ProposalContent kind={p.kind} content={p.content} />
        <p className="text-sm">
          <span className="font-medium">Rule:</span> {describeRule(p.rule)}
        </p>
        <p className="text-xs text-stone-600">
          Proposal digest (what every ballot signs over):{" "}
          <code className="break-all" data-testid="proposal-digest">
            {p.digest}
          </code>
        </p>
        <p className="text-xs">
          <a href={`/api/governance/proposals/${p.id}/export.json`} data-testid="export-link">
            Public export (JSON)
          </a>{" "}
          — verify offline with <code>npm run cli -- governance verify {p.id} --file export.json</code>
        </p>
      </section>

      {p.status === "open" && !windowOver && viewerEntry && (
        <VotePanel
          proposalId={p.id}
          digest={p.digest}
          artifactDigest={artifactDigest}
          binding={viewerEntry.binding}
          consensus={p.rule.type === "consensus"}
          current={viewerBallot?.choice ?? null}
        />
      )}
      {p.status === "open" && !windowOver && session && !viewerEntry && (
        <p className="text-sm text-stone-600">
          You were not on the roster when this vote opened, so you cannot vote on it.
        </p>
      )}
      {p.status === "open" && !session && (
        <p className="text-sm">
          <Link href={`/sign-in?callbackUrl=/governance/${p.id}`}>Sign in</Link> to vote if you are on the roster.
        </p>
      )}
      {viewerBallot && <LogReceiptLine receipt={ballotReceipt} what="Your ballot" testId="ballot-log-receipt" />}
      {canClose && <ProposalAction proposalId={p.id} action="close" label="Close the vote and count" />}

      <section>
        <h2 className="mb-2 text-lg font-semibold">{p.status === "closed" ? "Tally" : "Tally so far"}</h2>
        <p className="mb-2 text-sm" data-testid="progress">
          {progressLine(p.rule, t)}
        </p>
        <table className="table max-w-md" data-testid="tally">
          <thead>
            <tr>
              <th></th>
              <th>+1</th>
              <th>0</th>
              <th>-1</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Binding</td>
              <td data-testid="binding-plus">{t.binding.plus}</td>
              <td>{t.binding.zero}</td>
              <td>{t.binding.minus}</td>
            </tr>
            <tr>
              <td>Non-binding</td>
              <td>{t.nonBinding.plus}</td>
              <td>{t.nonBinding.zero}</td>
              <td>{t.nonBinding.minus}</td>
            </tr>
          </tbody>
        </table>
        {t.vetoes.length > 0 && (
          <p className="mt-1 text-sm">Vetoes: {t.vetoes.map((v) => names.get(v) ?? v).join(", ")}</p>
        )}
        {t.quorumRequired !== null && (
          <p className="mt-1 text-sm">
            Quorum: {t.quorumRequired} binding votes of {t.bindingRosterSize}.
          </p>
        )}
        {p.status === "closed" && (
          <div className="mt-2">
            <LogReceiptLine receipt={tallyReceipt} what="The tally" testId="tally-log-receipt" />
          </div>
        )}
        {p.status === "closed" && verdict.ok && (
          <p className="mt-2 text-sm font-medium text-green-800" data-testid="tally-verified">
            Tally verified: every ballot&apos;s passkey signature checks out, and a recount by the public verifier gives
            the signed tally.
          </p>
        )}
        {!verdict.ok && (
          <p className="mt-2 text-sm font-medium text-red-700" data-testid="verification-problems">
            Verification problems: {verdict.problems.join("; ")}
          </p>
        )}
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Ballots</h2>
        {verdict.ballots.length === 0 ? (
          <p className="text-sm text-stone-600">No ballot yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table" data-testid="ballots">
              <thead>
                <tr>
                  <th>Voter</th>
                  <th>Vote</th>
                  <th>Cast</th>
                  <th>Signature</th>
                  <th>Counted</th>
                  <th>Public log</th>
                </tr>
              </thead>
              <tbody>
                {verdict.ballots.map((b) => (
                  <tr key={b.id}>
                    <td>
                      {names.get(b.voterId) ?? b.voterId}{" "}
                      <span className="text-xs text-stone-500">
                        {binding.get(b.voterId) ? "binding" : "non-binding"}
                      </span>
                    </td>
                    <td>{signed(b.choice)}</td>
                    <td>
                      {when(b.castAt)}
                      <OriginMark origin={originOfRecord(forks, b.castAt)} />
                    </td>
                    <td className={b.valid ? "text-green-700" : "text-red-700"}>
                      {b.valid ? "verified" : `invalid: ${b.problem}`}
                    </td>
                    <td>{counted.has(b.id) ? "yes" : "superseded"}</td>
                    <td>
                      {typeof logEntryOf.get(b.id) === "number" ? (
                        <Link className="underline" href={`/log?entry=${logEntryOf.get(b.id)}`}>
                          entry {logEntryOf.get(b.id)}
                        </Link>
                      ) : (
                        "not logged"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {e.ballots.some((b) => b.justification) && (
          <div className="mt-3 space-y-2 text-sm">
            <h3 className="font-medium">Justifications</h3>
            {e.ballots
              .filter((b) => b.justification)
              .map((b) => (
                <p key={b.id}>
                  <span className="font-medium">
                    {names.get(b.voterId) ?? b.voterId} ({signed(b.choice)}):
                  </span>{" "}
                  {b.justification}
                </p>
              ))}
          </div>
        )}
      </section>
    </div>
  );
}
