import "server-only";
import { buildProposalExport } from "@/lib/governance/build-proposal-export";
import { attachLogProofs } from "@/lib/governance/attach-log-proofs";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { verifyBallotsAgainstHistory } from "@/lib/governance/verify-ballots-against-history";
import { verifyProposalExport, type ExportVerdict } from "@/lib/governance/verifier/verify-proposal-export";
import type { ProposalExport } from "@/lib/governance/verifier/export-format";

export type ProposalVerdict = ExportVerdict & { exported: ProposalExport; loggedBallots: number | null };

/**
 * `governance verify` from the database: the export's own checks (every ballot
 * signature, the tally recomputed and signed, each ballot's log entry named by
 * the tally), then the ballots held to the transparency log, where each was
 * recorded when it was cast. A ballot deleted, added or altered in the
 * database fails the second even when it passes the first.
 */
export async function verifyProposal(proposalId: string): Promise<ProposalVerdict> {
  const exported = await attachLogProofs(await buildProposalExport(proposalId));
  // The log key's public half only: a verifier never makes or unseals the signing key (no MASTER_KEY needed).
  const signatures = verifyProposalExport(exported, { logKey: (await findLogVerifierKey()) ?? undefined });
  const history = await verifyBallotsAgainstHistory(exported);
  return {
    ...signatures,
    ok: signatures.ok && history.ok,
    problems: [...signatures.problems, ...history.problems],
    exported,
    loggedBallots: history.loggedBallots,
  };
}
