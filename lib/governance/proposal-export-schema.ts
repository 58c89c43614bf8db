import "server-only";
import { z } from "zod";
import { PROPOSAL_EXPORT_FORMAT } from "@/lib/governance/verifier/export-format";

/**
 * The public export of one proposal (ProposalExport in verifier/export-format.ts), field by field, as a zod schema:
 * the API's OpenAPI document and the published JSON Schema (/schemas/proposal-export-v1.json,
 * docs/schemas/) are generated from it, and a test parses a real export with it, so the three cannot drift.
 * Objects are strict: a field the builder adds without describing it here fails that test. Binary fields
 * are base64url; instants are ISO 8601 in UTC.
 */
const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
const instant = z.iso.datetime();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const relyingPartySchema = z.strictObject({ rpId: z.string(), origin: z.string() });

const counts = z.strictObject({ plus: z.int().min(0), zero: z.int().min(0), minus: z.int().min(0) });

const tallySchema = z.strictObject({
  binding: counts,
  nonBinding: counts,
  bindingRosterSize: z.int().min(0),
  vetoes: z.array(z.string()).meta({ description: "Voter ids of binding -1 ballots with a justification (consensus)" }),
  quorumRequired: z.int().min(0).nullable(),
});

const ruleSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("release"), minWindowHours: z.number(), minBindingApprovals: z.int() }),
  z.strictObject({ type: z.literal("consensus"), minWindowHours: z.number(), minBindingApprovals: z.int() }),
  z.strictObject({ type: z.literal("majority"), minWindowHours: z.number(), quorumPercent: z.number() }),
]);

const ballotSchema = z.strictObject({
  id: z.string(),
  voterId: z.string(),
  choice: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
  justification: z.string().nullable(),
  justificationHash: z.string(),
  castAt: instant,
  proposalDigest: z.string(),
  challenge: z.string(),
  credentialId: z.string(),
  publicKey: base64url.meta({ description: "The passkey's COSE public key" }),
  authenticatorData: base64url,
  clientDataJSON: base64url,
  signature: base64url,
  logEntry: z
    .int()
    .min(0)
    .nullable()
    .optional()
    .meta({ description: "The ballot's `ballot.cast` entry in the transparency log; null when it records none" }),
});

const resultSchema = z.strictObject({
  tally: tallySchema,
  outcome: z.enum(["passed", "rejected"]),
  reason: z.string(),
  countedBallotIds: z.array(z.string()),
  countedLogEntries: z.array(z.int().min(0)).optional(),
  effectStatus: z.string().nullable(),
  effectNote: z.string().nullable(),
});

const logSchema = z.strictObject({
  checkpoint: z.string().meta({ description: "The C2SP signed checkpoint the proofs lead to" }),
  entries: z.array(z.strictObject({ index: z.int().min(0), entry: z.string(), proof: z.array(z.string()) })),
});

export const proposalExportSchema = z
  .strictObject({
    format: z.literal(PROPOSAL_EXPORT_FORMAT),
    generatedAt: instant,
    relyingParty: relyingPartySchema.meta({
      description: "The relying party the proposal's ballots were signed for when it opened",
    }),
    relyingPartyChanges: z
      .array(relyingPartySchema.extend({ from: instant }))
      .optional()
      .meta({
        description:
          "Where the proposal continued at a fork while open: ballots cast from each change's `from` on are signed for its relying party",
      }),
    proposal: z.strictObject({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      content: z.unknown().meta({ description: "The proposal's signed content; its shape depends on its kind" }),
      rule: ruleSchema,
      windowHours: z.number(),
      status: z.enum(["open", "closed"]),
      openedAt: instant,
      closesAt: instant,
      closedAt: instant.nullable(),
      rosterDigest: sha256Hex,
      digest: sha256Hex,
    }),
    roster: z.array(z.strictObject({ userId: z.string(), binding: z.boolean(), name: z.string().nullable() })),
    registeredKeys: z
      .array(z.strictObject({ userId: z.string(), credentialId: z.string(), publicKey: base64url }))
      .meta({ description: "The passkeys registered to the voters when the export was made" }),
    ballots: z.array(ballotSchema),
    result: resultSchema.nullable().meta({ description: "Set once the proposal is closed" }),
    tallyJws: z.string().nullable().meta({ description: "The result, signed with the governance key (compact JWS)" }),
    jwks: z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())) }),
    log: logSchema.nullable().optional().meta({
      description:
        "The ballots' and the tally's log entries with inclusion proofs against one checkpoint; absent from exports made inside a transaction and from older ones",
    }),
  })
  .meta({
    description:
      "The proposal, its roster, every ballot with its passkey signature, the signed tally, the keys, and the log entries with inclusion proofs (docs/GOVERNANCE.md)",
  });
