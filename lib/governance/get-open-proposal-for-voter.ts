import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/**
 * The checks a ballot meets before any signature is looked at: the proposal
 * exists, is open now (not a draft, not past its close), and the voter is on
 * its roster snapshot. Returns the proposal and the voter's roster entry.
 */
export async function getOpenProposalForVoter(
  tx: Tx,
  { proposalId, voterId, now }: { proposalId: string; voterId: string; now: Date },
) {
  const proposal = await tx.proposal.findUnique({ where: { id: proposalId } });
  if (!proposal) throw new AppError("NOT_FOUND", { userMessage: "No such proposal." });
  if (
    proposal.status === "draft" ||
    !proposal.openedAt ||
    !proposal.closesAt ||
    !proposal.digest ||
    now < proposal.openedAt
  ) {
    throw new AppError("CONFLICT", {
      userMessage: "This proposal is not open for voting yet.",
      reason: "PROPOSAL_NOT_OPEN",
    });
  }
  if (proposal.status === "closed" || now >= proposal.closesAt) {
    throw new AppError("CONFLICT", { userMessage: "Voting on this proposal has closed.", reason: "PROPOSAL_CLOSED" });
  }
  const entry = await tx.proposalRosterEntry.findUnique({
    where: { proposalId_userId: { proposalId, userId: voterId } },
  });
  if (!entry) {
    throw new AppError("FORBIDDEN", {
      userMessage: "Only members and committers on the roster when this vote opened can vote on it.",
      reason: "NOT_ON_ROSTER",
    });
  }
  return {
    proposal: { ...proposal, openedAt: proposal.openedAt, closesAt: proposal.closesAt, digest: proposal.digest },
    entry,
  };
}
