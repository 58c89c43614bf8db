import "server-only";
import type { RosterEntry } from "./ballot-content";
import type { Outcome, Rule, Tally } from "./tally-rules";
import type { RelyingParty, RelyingPartyChange } from "./relying-party-at";

/**
 * The public export of one proposal: everything needed to re-verify it
 * offline, binary fields as base64url. Produced by
 * lib/governance/build-proposal-export.ts, checked by verify-proposal-export.ts.
 */
export const PROPOSAL_EXPORT_FORMAT = "guildhall.governance.proposal-export/1";

export type ExportedBallot = {
  id: string;
  voterId: string;
  choice: 1 | 0 | -1;
  justification: string | null;
  justificationHash: string;
  castAt: string;
  proposalDigest: string;
  challenge: string;
  credentialId: string;
  publicKey: string; // COSE, base64url
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
  /**
   * The index of the ballot's `ballot.cast` entry in the transparency log (docs/LOG.md): null when the log
   * records no such ballot; absent from exports made before ballots were held to the log.
   */
  logEntry?: number | null;
};

export type TallyResult = {
  tally: Tally;
  outcome: Outcome;
  reason: string;
  countedBallotIds: string[];
  /** The log entries of the counted ballots, ascending: the tally names every ballot it counted in the log. */
  countedLogEntries?: number[];
};

export type ProposalExport = {
  format: typeof PROPOSAL_EXPORT_FORMAT;
  generatedAt: string;
  /** The relying party the proposal's ballots were signed for when it opened. */
  relyingParty: RelyingParty;
  /**
   * Where the proposal continued at a fork (`org import`) while open: ballots cast from each change's `from`
   * on are signed for its relying party (relying-party-at.ts). Absent when every ballot is for `relyingParty`.
   */
  relyingPartyChanges?: RelyingPartyChange[];
  proposal: {
    id: string;
    kind: string;
    title: string;
    content: unknown;
    rule: Rule;
    windowHours: number;
    status: "open" | "closed";
    openedAt: string;
    closesAt: string;
    closedAt: string | null;
    rosterDigest: string;
    digest: string;
  };
  roster: (RosterEntry & { name: string | null })[];
  /** The passkeys registered to the voters when the export was made. */
  registeredKeys: { userId: string; credentialId: string; publicKey: string }[];
  ballots: ExportedBallot[];
  /** Set once the proposal is closed. */
  result: (TallyResult & { effectStatus: string | null; effectNote: string | null }) | null;
  /** The result, signed with Guildhall's governance key (compact JWS). */
  tallyJws: string | null;
  jwks: { keys: Record<string, unknown>[] };
  /**
   * The ballots' `ballot.cast` entries (and, once closed, the tally's `proposal.closed` entry) as the
   * transparency log published them, each with its inclusion proof against one signed checkpoint. Absent from
   * exports made inside a transaction (closing) and from older ones; entries not integrated yet are left out.
   */
  log?: ExportedLog | null;
};

export type ExportedLog = {
  /** The C2SP signed checkpoint the proofs lead to. */
  checkpoint: string;
  entries: { index: number; entry: string; proof: string[] }[];
};

/** The payload of `tallyJws`. */
export type SignedTallyPayload = {
  proposalId: string;
  proposalDigest: string;
  closedAt: string;
  tally: Tally;
  outcome: Outcome;
  countedBallotIds: string[];
  /** Absent from tallies signed before ballots were held to the log. */
  countedLogEntries?: number[];
};
