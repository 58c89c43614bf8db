import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { verifyProposalExport } from "@/lib/governance/verifier/verify-proposal-export";
import { testClockEnabled, governanceNow } from "@/lib/governance/clock";

/**
 * What the public proposal page shows: the export (content, digest, roster,
 * ballots), each ballot's signature status as the public verifier sees it,
 * and the current tally (final once closed). A draft is shown only to its
 * proposer.
 */
export async function getProposalView({ proposalId, viewerId }: { proposalId: string; viewerId?: string }) {
  const row = await db().proposal.findUnique({
    where: { id: proposalId },
    select: { status: true, createdById: true, kind: true, title: true, content: true, rule: true, windowHours: true },
  });
  if (!row || (row.status === "draft" && row.createdById !== viewerId))
    throw new AppError("NOT_FOUND", { userMessage: "No such proposal." });
  const now = await governanceNow();
  if (row.status === "draft") return { draft: row, now, testClock: testClockEnabled() } as const;
  const exported = await buildProposalExport(proposalId);
  const verdict = verifyProposalExport(exported);
  const names = new Map(exported.roster.map((r) => [r.userId, r.name]));
  const viewerEntry = viewerId ? exported.roster.find((r) => r.userId === viewerId) : undefined;
  const viewerBallot = viewerId ? verdict.ballots.filter((b) => b.voterId === viewerId && b.valid).at(-1) : undefined;
  return {
    draft: null,
    exported,
    verdict,
    names,
    viewerEntry,
    viewerBallot,
    now,
    testClock: testClockEnabled(),
    createdById: row.createdById,
  } as const;
}
