import "server-only";
import { generateAuthenticationOptions } from "@simplewebauthn/server";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { consumeRateLimit } from "@/lib/rate-limit/consume-rate-limit";
import { governanceNow, type GovernanceTimeSource } from "@/lib/governance/clock";
import { getOpenProposalForVoter } from "@/lib/governance/get-open-proposal-for-voter";
import {
  ballotChallenge,
  justificationHashOf,
  type BallotChoice,
  type BallotContent,
} from "@/lib/governance/verifier/ballot-content";
import { limits } from "@/lib/config/limits";
import { requireJustifiedObjection } from "@/lib/governance/require-justified-objection";
import type { Rule } from "@/lib/governance/verifier/tally-rules";

export type StartBallotInput = {
  proposalId: string;
  voterId: string;
  choice: BallotChoice;
  justification: string | null;
  digestConfirmed: boolean;
};

/**
 * Prepares a ballot for signing: fixes its time, computes its challenge (the
 * hash of the ballot's canonical JSON), remembers that we issued it to this
 * voter, and returns the WebAuthn request options limited to the voter's own
 * passkeys. The voter must confirm they checked the artifact digest first.
 */
export async function startBallot(
  input: StartBallotInput,
  clock: GovernanceTimeSource = governanceNow,
): Promise<{ ballot: BallotContent; options: Awaited<ReturnType<typeof generateAuthenticationOptions>> }> {
  if (!input.digestConfirmed) {
    throw new AppError("PRECONDITION_FAILED", {
      userMessage: "Confirm that you checked the artifact digest before you sign.",
      reason: "DIGEST_NOT_CONFIRMED",
    });
  }
  // Each call stores a challenge row: bounded per voter like the submissions.
  await consumeRateLimit(limits.rate.ballotStartPerVoter, input.voterId);
  const now = await clock();
  const { proposal } = await getOpenProposalForVoter(db(), {
    proposalId: input.proposalId,
    voterId: input.voterId,
    now,
  });
  requireJustifiedObjection(proposal.rule as Rule, input.choice, input.justification);
  const passkeys = await db().passkey.findMany({
    where: { userId: input.voterId },
    select: { credentialId: true, transports: true },
  });
  if (passkeys.length === 0)
    throw new AppError("PRECONDITION_FAILED", {
      userMessage: "Add a passkey to your account to vote: ballots are signed with it.",
      reason: "NO_PASSKEY",
    });

  const ballot: BallotContent = {
    proposalId: proposal.id,
    proposalDigest: proposal.digest,
    voterId: input.voterId,
    choice: input.choice,
    justificationHash: justificationHashOf(input.justification),
    castAt: now.toISOString(),
  };
  const challenge = ballotChallenge(ballot);
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    challenge: new Uint8Array(Buffer.from(challenge, "base64url")),
    userVerification: "required",
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
  });
  await storeChallenge({ challenge, purpose: "ballot", userId: input.voterId });
  return { ballot, options };
}
