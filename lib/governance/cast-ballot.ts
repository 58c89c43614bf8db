import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AppError, isAppError, type FailureReason } from "@/lib/errors/app-error";
import { relyingParty } from "@/lib/auth/relying-party";
import { consumeChallenge } from "@/lib/auth/webauthn-challenges";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { consumeRateLimit } from "@/lib/rate-limit/consume-rate-limit";
import { governanceNow, type GovernanceTimeSource } from "@/lib/governance/clock";
import { getOpenProposalForVoter } from "@/lib/governance/get-open-proposal-for-voter";
import {
  ballotChallenge,
  ballotLogState,
  justificationHashOf,
  type BallotContent,
} from "@/lib/governance/verifier/ballot-content";
import { clientDataChallengeOf, verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import { limits } from "@/lib/config/limits";
import { requireJustifiedObjection } from "@/lib/governance/require-justified-objection";
import { requireSettledPasskey } from "@/lib/governance/require-settled-passkey";
import type { Rule } from "@/lib/governance/verifier/tally-rules";
import { relyingPartiesOpenedAt } from "@/lib/governance/verifier/relying-party-at";
import { readRelyingPartyHistory } from "@/lib/governance/relying-party-history";
import { ballotChoiceSchema } from "@/lib/governance/ballot-choice-schema";

const b64u = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+$/, "base64url");

export const castBallotSchema = ballotChoiceSchema.extend({
  castAt: z.iso.datetime({ precision: 3 }),
  response: z.object({
    id: b64u,
    rawId: b64u,
    type: z.literal("public-key"),
    response: z.object({
      clientDataJSON: b64u,
      authenticatorData: b64u,
      signature: b64u,
      userHandle: z.string().optional(),
    }),
  }),
});
export type CastBallotInput = z.infer<typeof castBallotSchema>;

const ballotRateLimit = limits.rate.ballotPerVoter;

function refuse(
  code: "CONFLICT" | "FORBIDDEN" | "UNPROCESSABLE",
  reason: FailureReason,
  userMessage: string,
): AppError {
  return new AppError(code, { userMessage, reason });
}

/**
 * Records a signed ballot. Checks, in order:
 *  1. the proposal is open now and the voter is on its roster snapshot, and a
 *     -1 on a consensus vote carries a justification;
 *  2. the assertion is not one already recorded for another ballot (replay);
 *  3. the assertion's challenge is the hash of the submitted ballot fields
 *     (otherwise it signs different content);
 *  4. that challenge was issued by us to this voter and is consumed now;
 *  5. the passkey is registered to the voter, whose account is enabled, and
 *     is not one added moments ago beside an older one (requireSettledPasskey);
 *  6. the relying party recorded for the ballot's time is this portal's, and
 *     the WebAuthn assertion verifies (origin, RP id, user verification,
 *     signature), with the same verifier anyone runs on the export;
 *  7. the signature counter moved forward (a cloned authenticator shows).
 * A refusal records nothing but itself, as an audit event.
 */
export async function castBallot({
  proposalId,
  voterId,
  input: rawInput,
  clock = governanceNow,
}: {
  proposalId: string;
  voterId: string;
  input: unknown;
  clock?: GovernanceTimeSource;
}) {
  const input = castBallotSchema.parse(rawInput);
  await consumeRateLimit(ballotRateLimit, voterId);
  try {
    return await recordBallot(proposalId, voterId, input, clock);
  } catch (e) {
    if (isAppError(e) && e.statusCode < 500) {
      await db().$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: { type: "user", id: voterId },
          action: "ballot.refused",
          subject: { type: "proposal", id: proposalId },
          state: { reason: e.reason ?? e.code },
          data: { reason: e.reason ?? e.code, choice: input.choice },
        }),
      );
    }
    throw e;
  }
}

async function recordBallot(proposalId: string, voterId: string, input: CastBallotInput, clock: GovernanceTimeSource) {
  const rp = relyingParty();
  const assertion = {
    authenticatorData: Buffer.from(input.response.response.authenticatorData, "base64url"),
    clientDataJSON: Buffer.from(input.response.response.clientDataJSON, "base64url"),
    signature: Buffer.from(input.response.response.signature, "base64url"),
  };
  return db().$transaction(async (tx) => {
    // Shares the proposal's row with other ballots but not with a close, so a
    // ballot commits before the tally is taken or sees the vote closed.
    await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE "id" = ${proposalId} FOR SHARE`;
    const now = await clock(tx);
    const { proposal, entry } = await getOpenProposalForVoter(tx, { proposalId, voterId, now });
    requireJustifiedObjection(proposal.rule as Rule, input.choice, input.justification);
    const signedChallenge = clientDataChallengeOf(assertion.clientDataJSON) ?? "";
    if (await tx.ballot.findUnique({ where: { challenge: signedChallenge }, select: { id: true } })) {
      throw refuse("CONFLICT", "BALLOT_REPLAYED", "This signature was already used for another ballot.");
    }
    const content: BallotContent = {
      proposalId,
      proposalDigest: proposal.digest,
      voterId,
      choice: input.choice,
      justificationHash: justificationHashOf(input.justification),
      castAt: input.castAt,
    };
    const challenge = ballotChallenge(content);
    if (challenge !== signedChallenge)
      throw refuse(
        "UNPROCESSABLE",
        "SIGNATURE_CONTENT_MISMATCH",
        "The passkey signed different ballot content than was submitted.",
      );
    await consumeChallenge(tx, { challenge, purpose: "ballot", userId: voterId });

    const passkey = await tx.passkey.findUnique({
      where: { credentialId: input.response.id },
      include: { user: { select: { disabledAt: true } } },
    });
    if (!passkey || passkey.userId !== voterId)
      throw refuse("FORBIDDEN", "PASSKEY_NOT_VOTERS", "That passkey is not registered to you.");
    if (passkey.user.disabledAt) throw refuse("FORBIDDEN", "ACCOUNT_DISABLED", "This account is disabled.");
    await requireSettledPasskey(tx, { passkey, proposalId });
    // A ballot is checked, now and by anyone later, for the relying party recorded as in force at its time:
    // that must be this portal's, or the ballot was prepared before its public URL changed.
    const signedFor = relyingPartiesOpenedAt(await readRelyingPartyHistory(tx), new Date(input.castAt)).relyingParty;
    if (signedFor.rpId !== rp.rpID || signedFor.origin !== rp.origin)
      throw refuse(
        "CONFLICT",
        "RELYING_PARTY_CHANGED",
        "This Guildhall's address changed after the ballot was prepared: prepare and sign it again.",
      );
    const verdict = verifyBallotAssertion(
      content,
      { ...assertion, publicKey: passkey.publicKey },
      { rpId: rp.rpID, origin: rp.origin },
    );
    if (!verdict.ok)
      throw refuse(
        "UNPROCESSABLE",
        verdict.problem === "CHALLENGE_MISMATCH" ? "SIGNATURE_CONTENT_MISMATCH" : "BAD_SIGNATURE",
        `The ballot signature did not verify (${verdict.problem}).`,
      );
    if ((verdict.signCount > 0 || passkey.counter > 0n) && BigInt(verdict.signCount) <= passkey.counter) {
      throw refuse(
        "UNPROCESSABLE",
        "COUNTER_REGRESSED",
        "The passkey's signature counter went backwards; it may have been cloned.",
      );
    }
    const castAt = new Date(input.castAt);
    if (castAt < proposal.openedAt || castAt >= proposal.closesAt)
      throw refuse("CONFLICT", "PROPOSAL_CLOSED", "The ballot's time is outside the voting window.");

    await tx.passkey.update({
      where: { id: passkey.id },
      data: { counter: BigInt(verdict.signCount), lastUsedAt: new Date() },
    });
    const ballot = await tx.ballot.create({
      data: {
        id: newId("bal"),
        proposalId,
        voterId,
        choice: input.choice,
        justification: input.justification,
        justificationHash: content.justificationHash,
        castAt,
        proposalDigest: proposal.digest,
        challenge,
        credentialId: passkey.credentialId,
        publicKey: passkey.publicKey,
        authenticatorData: assertion.authenticatorData,
        clientDataJSON: assertion.clientDataJSON,
        signature: assertion.signature,
        signCount: BigInt(verdict.signCount),
      },
    });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: voterId },
      action: "ballot.cast",
      subject: { type: "proposal", id: proposalId },
      state: ballotLogState({
        ballotId: ballot.id,
        ...content,
        challenge,
        credentialId: passkey.credentialId,
        signature: input.response.response.signature,
      }),
      data: { ballotId: ballot.id, choice: input.choice, binding: entry.binding },
    });
    return { ballot, binding: entry.binding };
  });
}
