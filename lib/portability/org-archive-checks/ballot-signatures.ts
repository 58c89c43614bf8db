import "server-only";
import { verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import type { BallotChoice } from "@/lib/governance/verifier/ballot-content";
import {
  completeRelyingPartyHistory,
  relyingPartiesOpenedAt,
  type RelyingParty,
  type RelyingPartyPeriod,
} from "@/lib/governance/verifier/relying-party-at";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { bytes, instant, textOrNull, type RecordCheck } from "@/lib/portability/org-archive-checks/record-check";

/**
 * Every ballot's passkey signature, over its proposal's digest, for the relying party in force when it was
 * cast (relying-party-at.ts): the archive's relying-party periods (the origin's public URLs and, before each
 * fork the origin itself came from, that fork's origin's), completed as the origin completes them (its
 * relying party of now from its last fork's import, or the fork origins alone in an archive without any). Those files and the proposals are read before the ballots (the archive's
 * order), so each ballot is checked as it streams.
 */
export function ballotSignatureChecks(origin: OrgArchiveManifest["origin"]): {
  ForkOrigin: RecordCheck;
  RelyingPartyPeriod: RecordCheck;
  Proposal: RecordCheck;
  Ballot: RecordCheck;
} {
  const current = { rpId: origin.rpId, origin: origin.rpOrigin };
  const forks: (RelyingParty & { importedAt: Date })[] = [];
  const recorded: (RelyingParty & { since: Date })[] = [];
  let history: RelyingPartyPeriod[] | null = null;
  const periods = () => {
    history ??= completeRelyingPartyHistory(recorded, forks, current);
    return history;
  };
  const proposals = new Map<string, { digest: string | null; openedAt: Date | null }>();
  return {
    // The origin may be a fork itself: ballots cast before its own fork were signed for its origin.
    ForkOrigin: {
      record: (row) => {
        forks.push({
          rpId: String(row.rpId),
          origin: String(row.rpOrigin),
          importedAt: new Date(instant(row.importedAt)),
        });
        forks.sort((a, b) => a.importedAt.getTime() - b.importedAt.getTime());
        return null;
      },
    },
    RelyingPartyPeriod: {
      record: (row) => {
        recorded.push({ rpId: String(row.rpId), origin: String(row.origin), since: new Date(instant(row.since)) });
        return null;
      },
    },
    Proposal: {
      record: (row) => {
        const openedAt = textOrNull(row.openedAt);
        proposals.set(String(row.id), {
          digest: textOrNull(row.digest),
          openedAt: openedAt === null ? null : new Date(instant(openedAt)),
        });
        return null;
      },
    },
    Ballot: {
      record: (row) => {
        const proposal = proposals.get(String(row.proposalId));
        const digest = proposal?.digest;
        if (!proposal?.openedAt || !digest || digest !== row.proposalDigest)
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
        const rp = relyingPartiesOpenedAt(periods(), new Date(content.castAt)).relyingParty;
        const verdict = verifyBallotAssertion(content, assertion, rp);
        return verdict.ok ? null : `ballot ${row.id}: its passkey signature does not verify (${verdict.detail})`;
      },
    },
  };
}
