import "server-only";
import type { Tx } from "@/lib/db/client";
import { iso } from "@/lib/portability/export-values";
import { ballotRecordOf } from "@/lib/governance/ballot-record-of";

/** The person's ballots (with their passkey assertions) and the proposals they made. */
export async function readGovernanceRecords(tx: Tx, userId: string) {
  // One after another: the queries of an interactive transaction share one connection.
  const ballots = await tx.ballot.findMany({
    where: { voterId: userId },
    include: { proposal: { select: { id: true, title: true, kind: true } } },
    orderBy: { castAt: "asc" },
  });
  const proposals = await tx.proposal.findMany({ where: { createdById: userId }, orderBy: { createdAt: "asc" } });
  return {
    ballots: ballots.map((b) => ({
      id: b.id,
      proposal: b.proposal,
      ...ballotRecordOf(b),
      signCount: Number(b.signCount),
    })),
    proposals: proposals.map((p) => ({
      id: p.id,
      title: p.title,
      kind: p.kind,
      status: p.status,
      createdAt: iso(p.createdAt),
    })),
  };
}
