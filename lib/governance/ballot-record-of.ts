import "server-only";
import type { Ballot } from "@/lib/generated/prisma/client";
import type { ExportedBallot } from "@/lib/governance/verifier/export-format";
import { base64url } from "jose";

/** What a stored ballot says and the passkey assertion that signed it, as exports write it. */
export type BallotRecord = Omit<ExportedBallot, "id" | "voterId" | "logEntry">;

/**
 * A signed ballot as every export writes it (a proposal's export, which anyone can verify, and the voter's
 * own account export): the choice and justification, the digest of the proposal it was cast on, and the
 * WebAuthn assertion (challenge, credential, COSE public key, authenticator data, client data, signature)
 * in base64url, instants in ISO 8601 UTC. Each export adds who and where around it.
 */
export function ballotRecordOf(
  b: Pick<
    Ballot,
    | "choice"
    | "justification"
    | "justificationHash"
    | "castAt"
    | "proposalDigest"
    | "challenge"
    | "credentialId"
    | "publicKey"
    | "authenticatorData"
    | "clientDataJSON"
    | "signature"
  >,
): BallotRecord {
  return {
    choice: b.choice as 1 | 0 | -1,
    justification: b.justification,
    justificationHash: b.justificationHash,
    castAt: b.castAt.toISOString(),
    proposalDigest: b.proposalDigest,
    challenge: b.challenge,
    credentialId: b.credentialId,
    publicKey: base64url.encode(b.publicKey),
    authenticatorData: base64url.encode(b.authenticatorData),
    clientDataJSON: base64url.encode(b.clientDataJSON),
    signature: base64url.encode(b.signature),
  };
}
