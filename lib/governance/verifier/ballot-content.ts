import crypto from "node:crypto";
import { canonicalJson } from "../../crypto/canonical-json";

/**
 * What a voter signs. The WebAuthn challenge of a ballot is not a random
 * nonce but the SHA-256 of this object's canonical JSON, so the passkey's
 * signature covers the proposal (by digest), the voter, the choice, the
 * justification (by hash) and the time, and anyone can recompute it from the
 * ballot. The voter's id is in it so that two voters casting the same choice
 * in the same millisecond never share a challenge (which would look like a
 * replay), and so a signature names whose ballot it is.
 */
export type BallotChoice = 1 | 0 | -1;

export type BallotContent = {
  proposalId: string;
  proposalDigest: string; // SHA-256 hex of the proposal's canonical content
  voterId: string;
  choice: BallotChoice;
  justificationHash: string; // SHA-256 hex of the justification text ("" when none)
  castAt: string; // ISO 8601, millisecond precision
};

export function sha256Hex(input: string | Uint8Array): string {
  return crypto.createHash("sha256").update(input).digest("hex");
}

export function justificationHashOf(justification: string | null | undefined): string {
  return sha256Hex(justification ?? "");
}

/** The challenge, base64url as it appears in clientDataJSON. */
export function ballotChallenge(content: BallotContent): string {
  const canonical = canonicalJson({
    proposalId: content.proposalId,
    proposalDigest: content.proposalDigest,
    voterId: content.voterId,
    choice: content.choice,
    justificationHash: content.justificationHash,
    castAt: content.castAt,
  });
  return crypto.createHash("sha256").update(canonical).digest("base64url");
}

/** The proposal's fields voters sign over (by digest), in one place for the server and the verifier. */
export type ProposalSignedFields = {
  id: string;
  kind: string;
  title: string;
  content: unknown;
  rule: unknown;
  windowHours: number;
  openedAt: string;
  closesAt: string;
  rosterDigest: string;
};

export function proposalDigestOf(p: ProposalSignedFields): string {
  return sha256Hex(
    canonicalJson({
      id: p.id,
      kind: p.kind,
      title: p.title,
      content: p.content,
      rule: p.rule,
      windowHours: p.windowHours,
      openedAt: p.openedAt,
      closesAt: p.closesAt,
      rosterDigest: p.rosterDigest,
    }),
  );
}

export type RosterEntry = { userId: string; binding: boolean };

/** The roster snapshot's digest, over entries sorted by user id. */
export function rosterDigestOf(roster: RosterEntry[]): string {
  const sorted = [...roster]
    .map((r) => ({ userId: r.userId, binding: r.binding }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return sha256Hex(canonicalJson(sorted));
}

/** The fields of a cast ballot that its log entry commits to (its `state.digest`), beyond the signed content. */
export type BallotRecord = BallotContent & {
  ballotId: string;
  challenge: string;
  credentialId: string;
  signature: string; // base64url, as in clientDataJSON's assertion
};

/**
 * The state a `ballot.cast` log entry publishes the digest of: every signed
 * field, the challenge, the credential and the signature. The digest is public
 * (a ballot's state is public by nature, docs/LOG.md), so anyone holding the
 * export recomputes it and finds a ballot altered after it was logged.
 */
export function ballotLogState(b: BallotRecord) {
  return {
    ballotId: b.ballotId,
    proposalId: b.proposalId,
    proposalDigest: b.proposalDigest,
    voterId: b.voterId,
    choice: b.choice,
    justificationHash: b.justificationHash,
    castAt: b.castAt,
    challenge: b.challenge,
    credentialId: b.credentialId,
    signature: b.signature,
  };
}

/** SHA-256 hex of the canonical JSON of `ballotLogState`: what the log entry's `state.digest` must be. */
export function ballotLogStateDigest(b: BallotRecord): string {
  return sha256Hex(canonicalJson(ballotLogState(b)));
}
