import "server-only";
import { verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import type { BallotChoice } from "@/lib/governance/verifier/ballot-content";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { bytes, instant, textOrNull, type RecordCheck } from "@/lib/portability/org-archive-checks/record-check";

/**
 * Every ballot's passkey signature, over its proposal's digest, for the relying party it was cast at: the fork
 * origins and proposals are read before the ballots (the archive's order), so each ballot is checked as it streams.
 */
export function ballotSignatureChecks(origin: OrgArchiveManifest["origin"]): {
  ForkOrigin: RecordCheck;
  Proposal: RecordCheck;
  Ballot: RecordCheck;
} {
  const relyingParties = [{ rpId: origin.rpId, origin: origin.rpOrigin }];
  const proposalDigests = new Map<string, string | null>();
  return {
    // The origin may be a fork itself: ballots cast before its own fork were signed for its origin.
    ForkOrigin: {
      record: (row) => {
        relyingParties.push({ rpId: String(row.rpId), origin: String(row.rpOrigin) });
        return null;
      },
    },
    Proposal: {
      record: (row) => {
        proposalDigests.set(String(row.id), textOrNull(row.digest));
        return null;
      },
    },
    Ballot: {
      record: (row) => {
        const digest = proposalDigests.get(String(row.proposalId));
        if (!digest || digest !== row.proposalDigest)
          return `ballot ${row.id}: it is not over the digest of a proposal of the archive`;
        const content = {
          proposalId: String(row.proposalId),
          proposalDigest: digest,
          voterId: String(row.voterId),
          choice: Number(row.choice) as BallotChoice,
          justificationHash: String(row.justificationHash),
          castAt: instant(row.castAt),
        };
        const assertion = {
          authenticatorData: bytes(row.authenticatorData),
          clientDataJSON: bytes(row.clientDataJSON),
          signature: bytes(row.signature),
          publicKey: bytes(row.publicKey),
        };
        let last = "";
        for (const rp of relyingParties) {
          const verdict = verifyBallotAssertion(content, assertion, rp);
          if (verdict.ok) return null;
          last = verdict.detail;
        }
        return `ballot ${row.id}: its passkey signature does not verify (${last})`;
      },
    },
  };
}
