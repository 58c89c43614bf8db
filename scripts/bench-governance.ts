/**
 * `npm run bench:governance`: how fast a proposal export is re-verified
 * offline (every ballot's WebAuthn signature, the tally, the outcome), and how
 * fast the tally rules run. No database: ballots are made by the software
 * authenticator with real P-256 keys. Prints figures; asserts nothing.
 */
import crypto from "node:crypto";
import { SoftAuthenticator } from "../tests/support/soft-authenticator";
import {
  ballotChallenge,
  justificationHashOf,
  proposalDigestOf,
  rosterDigestOf,
} from "../lib/governance/verifier/ballot-content";
import { verifyProposalExport } from "../lib/governance/verifier/verify-proposal-export";
import { computeTally, decideOutcome } from "../lib/governance/verifier/tally-rules";
import {
  PROPOSAL_EXPORT_FORMAT,
  type ExportedBallot,
  type ProposalExport,
} from "../lib/governance/verifier/export-format";

const rp = { rpId: "localhost", origin: "http://localhost:3000" };

function makeExport(voters: number, ballotsPerVoter: number): ProposalExport {
  const roster = Array.from({ length: voters }, (_, i) => ({
    userId: `usr_${String(i).padStart(5, "0")}`,
    binding: i % 3 !== 0,
    name: null,
  }));
  const openedAt = "2026-01-01T00:00:00.000Z";
  const closesAt = "2026-01-04T00:00:00.000Z";
  const rule = { type: "release" as const, minWindowHours: 72, minBindingApprovals: 3 };
  const base = {
    id: "prop_bench",
    kind: "release",
    title: "Bench",
    content: { version: "1.0.0" },
    rule,
    windowHours: 72,
    openedAt,
    closesAt,
    rosterDigest: rosterDigestOf(roster),
  };
  const digest = proposalDigestOf(base);
  const ballots: ExportedBallot[] = [];
  const registeredKeys: ProposalExport["registeredKeys"] = [];
  for (const r of roster) {
    const auth = new SoftAuthenticator(rp.origin);
    const credential = auth.createCredential(rp.rpId);
    const credentialId = credential.id.toString("base64url");
    const publicKey = auth.coseKey(credential).toString("base64url");
    registeredKeys.push({ userId: r.userId, credentialId, publicKey });
    for (let k = 0; k < ballotsPerVoter; k++) {
      const choice = ([1, 0, -1] as const)[crypto.randomInt(3)];
      const content = {
        proposalId: base.id,
        proposalDigest: digest,
        voterId: r.userId,
        choice,
        justificationHash: justificationHashOf(null),
        castAt: new Date(Date.parse(openedAt) + 1000 * (k + 1)).toISOString(),
      };
      const challenge = ballotChallenge(content);
      const a = auth.authenticate({ challenge, rpId: rp.rpId });
      ballots.push({
        id: `bal_${r.userId}_${k}`,
        voterId: r.userId,
        choice,
        justification: null,
        justificationHash: content.justificationHash,
        castAt: content.castAt,
        proposalDigest: digest,
        challenge,
        credentialId,
        publicKey,
        authenticatorData: a.response.authenticatorData,
        clientDataJSON: a.response.clientDataJSON,
        signature: a.response.signature,
      });
    }
  }
  return {
    format: PROPOSAL_EXPORT_FORMAT,
    generatedAt: new Date().toISOString(),
    relyingParty: rp,
    proposal: { ...base, status: "open", closedAt: null, digest },
    roster,
    registeredKeys,
    ballots,
    result: null,
    tallyJws: null,
    jwks: { keys: [] },
  };
}

for (const [voters, perVoter] of [
  [100, 1],
  [1000, 1],
  [500, 4],
] as const) {
  const exp = makeExport(voters, perVoter);
  const t0 = performance.now();
  const verdict = verifyProposalExport(exp);
  const ms = performance.now() - t0;
  if (!verdict.ok) throw new Error(verdict.problems[0]);
  console.log(
    `verify export: ${voters} voters × ${perVoter} ballots = ${exp.ballots.length} signatures in ${ms.toFixed(0)} ms (${((exp.ballots.length / ms) * 1000).toFixed(0)} ballots/s)`,
  );
}

const roster = Array.from({ length: 10_000 }, (_, i) => ({ userId: `u${i}`, binding: i % 2 === 0 }));
const counted = roster.map((r) => ({
  voterId: r.userId,
  choice: ([1, 0, -1] as const)[crypto.randomInt(3)],
  hasJustification: false,
}));
const rule = { type: "majority" as const, minWindowHours: 72, quorumPercent: 50 };
const t1 = performance.now();
const runs = 50;
for (let i = 0; i < runs; i++) decideOutcome(rule, computeTally(rule, roster, counted));
console.log(`tally: 10000 voters, ${runs} runs, ${((performance.now() - t1) / runs).toFixed(2)} ms per tally`);
