import "server-only";
import { db } from "@/lib/db/client";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";
import { scanLogEntries } from "@/lib/transparency/scan-log-entries";
import { ballotLogStateDigest } from "@/lib/governance/verifier/ballot-content";
import type { ExportedBallot, ProposalExport } from "@/lib/governance/verifier/export-format";

export type BallotHistoryVerdict = { ok: boolean; problems: string[]; loggedBallots: number };

type LoggedBallot = { index: number; choice: unknown; digest: string | undefined; published: boolean };

/**
 * Holds a proposal's ballots to the transparency log, where each was recorded
 * when it was cast (`ballot.cast` on the proposal, data `{ ballotId, choice }`,
 * state digest over every field of the ballot). Read from the published entries
 * (and, for the last second's ballots not yet integrated, their audit events),
 * so rewriting the audit rows does not help. Checks:
 *  1. every ballot has exactly one entry, whose state digest is the ballot's own
 *     (an added ballot has none; an altered one no longer matches);
 *  2. every ballot entry has its ballot (a deleted one, a removed veto, shows);
 *  3. a ballot the export says is entry N is entry N;
 *  4. once closed: no ballot was logged after the tally's entry, and the tally's
 *     entry names exactly the entries the signed tally counted.
 */
export async function verifyBallotsAgainstHistory(exported: ProposalExport): Promise<BallotHistoryVerdict> {
  const proposalId = exported.proposal.id;
  // Ballots of the last moment get their places first, so each is held to an entry.
  await sequenceIfPending({ subjectType: "proposal", subjectId: proposalId });
  const opened = await db().auditPlacement.findFirst({
    where: { event: { action: "proposal.opened", subjectType: "proposal", subjectId: proposalId } },
    select: { seq: true },
  });
  const { treeSize, entries } = await scanLogEntries({
    subjectType: "proposal",
    subjectId: proposalId,
    actions: ["ballot.cast", "proposal.closed"],
    fromIndex: opened ? Number(opened.seq - 1n) : 0,
  });
  const problems: string[] = [];
  const logged = new Map<string, LoggedBallot>();
  const record = (ballotId: unknown, ballot: LoggedBallot) => {
    const id = String(ballotId);
    const earlier = logged.get(id);
    if (earlier) problems.push(`ballot ${id} is logged twice (entries ${earlier.index} and ${ballot.index})`);
    else logged.set(id, ballot);
  };
  for (const { index, entry } of entries) {
    if (entry.action !== "ballot.cast") continue;
    const data = (entry.data ?? {}) as { ballotId?: unknown; choice?: unknown };
    const digest = "digest" in entry.state ? entry.state.digest : undefined;
    record(data.ballotId, { index, choice: data.choice, digest, published: true });
  }
  // Ballots of the last moment, committed but not yet in a signed checkpoint.
  const pending = await db().auditPlacement.findMany({
    where: {
      seq: { gt: BigInt(treeSize) },
      event: { action: "ballot.cast", subjectType: "proposal", subjectId: proposalId },
    },
    select: { seq: true, event: { select: { data: true, stateDigest: true } } },
  });
  for (const { seq, event: e } of pending) {
    const data = (e.data ?? {}) as { ballotId?: unknown; choice?: unknown };
    record(data.ballotId, {
      index: Number(seq - 1n),
      choice: data.choice,
      digest: e.stateDigest,
      published: false,
    });
  }

  for (const ballot of exported.ballots) problems.push(...ballotProblems(exported, ballot, logged.get(ballot.id)));
  const stored = new Set(exported.ballots.map((b) => b.id));
  for (const [ballotId, entry] of logged)
    if (!stored.has(ballotId))
      problems.push(`ballot ${ballotId} (log entry ${entry.index}) is missing from the proposal: it was deleted`);
  const closed = entries.find((e) => e.entry.action === "proposal.closed");
  if (closed) problems.push(...tallyProblems(exported, closed, logged));
  return { ok: problems.length === 0, problems, loggedBallots: logged.size };
}

function ballotProblems(exported: ProposalExport, b: ExportedBallot, entry: LoggedBallot | undefined): string[] {
  if (!entry) return [`ballot ${b.id} was never cast: no log entry records it`];
  const digest = ballotLogStateDigest({
    ballotId: b.id,
    proposalId: exported.proposal.id,
    proposalDigest: b.proposalDigest,
    voterId: b.voterId,
    choice: b.choice,
    justificationHash: b.justificationHash,
    castAt: b.castAt,
    challenge: b.challenge,
    credentialId: b.credentialId,
    signature: b.signature,
  });
  const problems: string[] = [];
  if (entry.choice !== b.choice)
    problems.push(`ballot ${b.id} says ${b.choice}, its log entry ${entry.index} says ${String(entry.choice)}`);
  else if (entry.digest !== digest)
    problems.push(`ballot ${b.id} differs from what its log entry ${entry.index} recorded: it was altered`);
  if (b.logEntry !== undefined && b.logEntry !== entry.index)
    problems.push(`ballot ${b.id} claims log entry ${b.logEntry}, but it was logged as entry ${entry.index}`);
  return problems;
}

function tallyProblems(
  exported: ProposalExport,
  closed: { index: number; entry: { data: unknown } },
  logged: Map<string, LoggedBallot>,
): string[] {
  const problems: string[] = [];
  for (const [ballotId, entry] of logged)
    if (entry.index > closed.index)
      problems.push(`ballot ${ballotId} was logged (entry ${entry.index}) after the tally (entry ${closed.index})`);
  const named = (closed.entry.data as { countedLogEntries?: unknown } | null)?.countedLogEntries;
  // A tally logged before tallies named their ballots' entries names none.
  if (named === undefined) return problems;
  const ballotEntries = new Set([...logged.values()].map((e) => e.index));
  for (const index of Array.isArray(named) ? named : [])
    if (!ballotEntries.has(Number(index)))
      problems.push(
        `the tally (log entry ${closed.index}) counted log entry ${index}, which is no ballot of this proposal`,
      );
  const claimed = exported.result?.countedLogEntries;
  if (JSON.stringify(named) !== JSON.stringify(claimed))
    problems.push(
      `the tally's log entry ${closed.index} counted entries ${JSON.stringify(named)}, the stored tally ${JSON.stringify(claimed ?? null)}`,
    );
  return problems;
}
