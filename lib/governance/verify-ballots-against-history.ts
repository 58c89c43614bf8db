import { db } from "@/lib/db/client";
import type { ProposalExport } from "@/lib/governance/verifier/export-format";

export type BallotHistoryVerdict = { ok: boolean; problems: string[]; loggedBallots: number };

/**
 * Every ballot cast is an audit event, and so a transparency-log entry
 * (`ballot.cast`, subject the proposal, data `{ ballotId, choice }`): the
 * proposal's ballots must be exactly those, with the same choices. A ballot
 * deleted from the table (a veto removed from an open vote), added to it, or
 * whose choice was changed, fails here, whatever the ballot table says; and
 * the events themselves are held to the signed log by `audit verify`.
 */
export async function verifyBallotsAgainstHistory(exported: ProposalExport): Promise<BallotHistoryVerdict> {
  const events = await db().auditEvent.findMany({
    where: { action: "ballot.cast", subjectType: "proposal", subjectId: exported.proposal.id },
    orderBy: { seq: "asc" },
    select: { seq: true, data: true },
  });
  const logged = new Map(
    events.map((e) => {
      const data = (e.data ?? {}) as { ballotId?: string; choice?: number };
      return [String(data.ballotId), { entry: e.seq - 1n, choice: data.choice }];
    }),
  );
  const problems: string[] = [];
  const stored = new Set<string>();
  for (const ballot of exported.ballots) {
    stored.add(ballot.id);
    const entry = logged.get(ballot.id);
    if (!entry) problems.push(`ballot ${ballot.id} was never cast: no log entry records it`);
    else if (entry.choice !== ballot.choice)
      problems.push(`ballot ${ballot.id} says ${ballot.choice}, its log entry ${entry.entry} says ${entry.choice}`);
  }
  for (const [ballotId, entry] of logged)
    if (!stored.has(ballotId))
      problems.push(`ballot ${ballotId} (log entry ${entry.entry}) is missing from the proposal: it was deleted`);
  return { ok: problems.length === 0, problems, loggedBallots: logged.size };
}
