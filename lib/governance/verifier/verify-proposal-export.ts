import "server-only";
import crypto from "node:crypto";
import { canonicalJson } from "../../crypto/canonical-json";
import { justificationHashOf, proposalDigestOf, rosterDigestOf, ballotChallenge } from "./ballot-content";
import { verifyBallotAssertion } from "./verify-ballot-assertion";
import { computeTally, decideOutcome, lastBallotPerVoter } from "./tally-rules";
import type { ExportedBallot, ProposalExport, SignedTallyPayload, TallyResult } from "./export-format";
import { verifyExportLog } from "./verify-export-log";
import { relyingPartyAt } from "./relying-party-at";

/**
 * Re-verifies a proposal from its export alone, without Guildhall's database:
 *  1. the roster snapshot and the proposal recompute to their digests;
 *  2. every ballot: it names this proposal and its digest, its justification
 *     hashes to its justificationHash, its voter is on the roster, its
 *     credential is the voter's registered key, it was cast inside the window,
 *     its challenge is its own (recomputed, and used by no other ballot), and
 *     its WebAuthn signature verifies for the relying party of when it was
 *     cast (the origin's before a fork, the fork's after: relying-party-at.ts);
 *  3. the tally and outcome recompute from the last valid ballot of each
 *     voter, and equal the stored result;
 *  4. the signed tally's JWS verifies with a key of the published JWKS and
 *     says the same;
 *  5. every ballot names its own log entry, and the tally names the log
 *     entries of exactly the ballots it counted (when the export and the
 *     signed tally carry them; older ones do not);
 *  6. when the export carries the log's entries with their proofs, each is in
 *     the signed checkpoint (its signature checked with `logKey` when given)
 *     and is exactly its ballot's, and none lacks its ballot.
 * Any failure is a problem; `ok` only when there is none.
 */
export type BallotCheck = {
  id: string;
  voterId: string;
  choice: number;
  castAt: string;
  valid: boolean;
  problem?: string;
  note?: string;
};

export type ExportVerdict = {
  ok: boolean;
  problems: string[];
  ballots: BallotCheck[];
  recomputed: TallyResult;
  /** What was not checked, and why (no log entries carried, no log key given). */
  notes: string[];
};

const bytes = (s: string) => Buffer.from(s, "base64url");

type Indexes = {
  roster: Map<string, ProposalExport["roster"][number]>;
  keys: Map<string, ProposalExport["registeredKeys"][number]>;
  seenChallenges: Map<string, string>;
};

function checkBallot(exp: ProposalExport, b: ExportedBallot, ix: Indexes): BallotCheck {
  const base = { id: b.id, voterId: b.voterId, choice: b.choice, castAt: b.castAt };
  const fail = (problem: string): BallotCheck => ({ ...base, valid: false, problem });
  const p = exp.proposal;
  const content = {
    proposalId: p.id,
    proposalDigest: b.proposalDigest,
    voterId: b.voterId,
    choice: b.choice,
    justificationHash: b.justificationHash,
    castAt: b.castAt,
  };
  if (![1, 0, -1].includes(b.choice)) return fail(`choice ${String(b.choice)} is not +1, 0 or -1`);
  if (b.proposalDigest !== p.digest) return fail("signed over a different proposal digest");
  if (justificationHashOf(b.justification) !== b.justificationHash)
    return fail("the justification does not match its signed hash");
  const voter = ix.roster.get(b.voterId);
  if (!voter) return fail("the voter is not on the proposal's roster");
  if (!(b.castAt >= p.openedAt && b.castAt < p.closesAt)) return fail("cast outside the voting window");
  if (ballotChallenge(content) !== b.challenge)
    return fail("the stored challenge is not the hash of the ballot's fields");
  const other = ix.seenChallenges.get(b.challenge);
  if (other) return fail(`replays the assertion of ballot ${other}`);
  ix.seenChallenges.set(b.challenge, b.id);

  let note: string | undefined;
  const registered = ix.keys.get(b.credentialId);
  if (registered && registered.userId !== b.voterId) return fail("signed with a passkey registered to someone else");
  if (registered && registered.publicKey !== b.publicKey)
    return fail("the ballot's public key is not the voter's registered key");
  if (!registered)
    note = "the passkey is no longer registered; verified with the key recorded when the ballot was cast";

  const verdict = verifyBallotAssertion(
    content,
    {
      authenticatorData: bytes(b.authenticatorData),
      clientDataJSON: bytes(b.clientDataJSON),
      signature: bytes(b.signature),
      publicKey: bytes(b.publicKey),
    },
    relyingPartyAt(exp.relyingParty, exp.relyingPartyChanges ?? [], b.castAt),
  );
  if (!verdict.ok) return fail(`${verdict.problem}: ${verdict.detail}`);
  return { ...base, valid: true, ...(note ? { note } : {}) };
}

function verifyCompactJws(
  jws: string,
  jwks: { keys: Record<string, unknown>[] },
): { ok: true; payload: unknown } | { ok: false; problem: string } {
  const parts = jws.split(".");
  if (parts.length !== 3) return { ok: false, problem: "the signed tally is not a compact JWS" };
  let header: { alg?: string; kid?: string };
  try {
    header = JSON.parse(bytes(parts[0]).toString("utf8"));
  } catch {
    return { ok: false, problem: "the signed tally's header is not JSON" };
  }
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return { ok: false, problem: `the signed tally names key ${String(header.kid)}, which is not published` };
  if (header.alg !== "EdDSA" || jwk.alg !== "EdDSA")
    return { ok: false, problem: `unexpected algorithm ${String(header.alg)}` };
  const key = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: "jwk" });
  if (!crypto.verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), key, bytes(parts[2])))
    return { ok: false, problem: "the signed tally's signature does not verify" };
  try {
    return { ok: true, payload: JSON.parse(bytes(parts[1]).toString("utf8")) };
  } catch {
    return { ok: false, problem: "the signed tally's payload is not JSON" };
  }
}

/** Every ballot names its own log entry, and no two the same one (exports made before this carry none). */
function logEntryProblems(ballots: ExportedBallot[]): string[] {
  const problems: string[] = [];
  const owner = new Map<number, string>();
  for (const b of ballots) {
    if (b.logEntry === undefined) continue;
    if (b.logEntry === null) {
      problems.push(`ballot ${b.id} has no log entry: the log never recorded it being cast`);
      continue;
    }
    const other = owner.get(b.logEntry);
    if (other) problems.push(`ballots ${other} and ${b.id} both claim log entry ${b.logEntry}`);
    owner.set(b.logEntry, b.id);
  }
  return problems;
}

export function verifyProposalExport(exp: ProposalExport, opts: { logKey?: string } = {}): ExportVerdict {
  const problems: string[] = [];
  const p = exp.proposal;
  if (rosterDigestOf(exp.roster) !== p.rosterDigest)
    problems.push("the roster does not match the roster digest the voters signed over");
  const digest = proposalDigestOf({ ...p });
  if (digest !== p.digest) problems.push("the proposal's content does not match its digest");

  const ix: Indexes = {
    roster: new Map(exp.roster.map((r) => [r.userId, r])),
    keys: new Map(exp.registeredKeys.map((k) => [k.credentialId, k])),
    seenChallenges: new Map(),
  };
  const checks = [...exp.ballots]
    .sort((a, b) => (a.castAt < b.castAt ? -1 : a.castAt > b.castAt ? 1 : a.id < b.id ? -1 : 1))
    .map((b) => checkBallot(exp, b, ix));
  for (const c of checks) if (!c.valid) problems.push(`ballot ${c.id} by ${c.voterId}: ${c.problem}`);

  const validIds = new Set(checks.filter((c) => c.valid).map((c) => c.id));
  const counted = lastBallotPerVoter(exp.ballots.filter((b) => validIds.has(b.id)));
  const tally = computeTally(
    p.rule,
    exp.roster,
    counted.map((b) => ({
      voterId: b.voterId,
      choice: b.choice,
      hasJustification: (b.justification ?? "").trim().length > 0,
    })),
  );
  const decided = decideOutcome(p.rule, tally);
  problems.push(...logEntryProblems(exp.ballots));
  const recomputed: TallyResult = {
    tally,
    outcome: decided.outcome,
    reason: decided.reason,
    countedBallotIds: counted.map((b) => b.id),
    countedLogEntries: counted.map((b) => b.logEntry ?? -1).sort((a, b) => a - b),
  };

  if (p.status === "closed") {
    if (!exp.result) problems.push("the proposal is closed but the export has no result");
    else {
      const stored = {
        tally: exp.result.tally,
        outcome: exp.result.outcome,
        countedBallotIds: exp.result.countedBallotIds,
        countedLogEntries: exp.result.countedLogEntries,
      };
      const mine = {
        tally: recomputed.tally,
        outcome: recomputed.outcome,
        countedBallotIds: recomputed.countedBallotIds,
        countedLogEntries: exp.result.countedLogEntries && recomputed.countedLogEntries,
      };
      if (canonicalJson(stored) !== canonicalJson(mine))
        problems.push(
          `the stored tally (${exp.result.outcome}) does not match the tally recomputed from the ballots (${recomputed.outcome})`,
        );
    }
    if (!exp.tallyJws) problems.push("the proposal is closed but its tally is not signed");
    else {
      const jws = verifyCompactJws(exp.tallyJws, exp.jwks);
      if (!jws.ok) problems.push(jws.problem);
      else {
        const signed = jws.payload as SignedTallyPayload;
        const expected: SignedTallyPayload = {
          proposalId: p.id,
          proposalDigest: p.digest,
          closedAt: p.closedAt ?? "",
          tally: recomputed.tally,
          outcome: recomputed.outcome,
          countedBallotIds: recomputed.countedBallotIds,
          // A tally signed before ballots were held to the log names no entries.
          ...("countedLogEntries" in signed ? { countedLogEntries: recomputed.countedLogEntries } : {}),
        };
        if (canonicalJson(signed) !== canonicalJson(expected))
          problems.push("the signed tally does not match the tally recomputed from the ballots");
      }
    }
  }
  const held = verifyExportLog(exp, opts.logKey);
  problems.push(...held.problems);
  return { ok: problems.length === 0, problems, ballots: checks, recomputed, notes: held.notes };
}
