import { z } from "zod";
import { witnessDeclarationSchema } from "@/lib/transparency/witnesses/witness-declaration";
import type { Rule } from "@/lib/governance/verifier/tally-rules";
import { federationDeclarationSchema } from "@/lib/governance/federation/host-declaration";
import { quorumRuleSchema } from "@/lib/governance/federation/quorum-rule";

/**
 * The kinds of proposal, what each one carries, its default rule and the floor
 * below which an org admin cannot tune it (the release floor is the charter's
 * own: three binding +1 and 72 hours).
 */
export const proposalKinds = [
  "release",
  "policy",
  "code_of_conduct",
  "split_policy",
  "host_admission",
  "host_removal",
  "roster_change",
  "fork",
  "federation_quorum",
] as const;
export type ProposalKind = (typeof proposalKinds)[number];

export const proposalKindLabels: Record<ProposalKind, string> = {
  release: "Release",
  policy: "Policy change",
  code_of_conduct: "Code of conduct change",
  split_policy: "Split-policy change",
  host_admission: "Host admission",
  host_removal: "Host removal",
  roster_change: "Roster change",
  fork: "Fork",
  federation_quorum: "Federation quorum change",
};

const id = z.string().trim().min(3).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);

export const proposalContentSchemas = {
  release: z.object({
    releaseLineId: id,
    name: text(120),
    version: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/, "use a version such as 1.4.0"),
    artifactUrl: z.url({ protocol: /^https?$/ }).max(2000),
    artifactSha256: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, "a SHA-256 digest is 64 hex characters"),
    notes: z.string().trim().max(20_000).default(""),
  }),
  policy: z.object({ text: text(50_000) }),
  code_of_conduct: z.object({ text: text(50_000) }),
  split_policy: z.object({ policyVersionId: id, summary: text(5_000) }),
  // `federation`: the host's entity id, endpoints, keys, jurisdiction and
  // provider, published in the service configuration once admitted. Without
  // it the host is admitted to the portal but is no federation member.
  // `witness`: the host's transparency-log witness (docs/LOG.md), which counts toward the quorum once admitted.
  host_admission: z.object({
    hostOrgId: id,
    reason: text(5_000),
    federation: federationDeclarationSchema.optional(),
    witness: witnessDeclarationSchema.optional(),
  }),
  host_removal: z.object({ hostOrgId: id, reason: text(5_000) }),
  roster_change: z.object({
    userId: id,
    role: z.enum(["MEMBER", "COMMITTER"]),
    change: z.enum(["grant", "revoke"]),
    reason: text(5_000),
  }),
  fork: z.object({
    lineName: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "lower-case letters, digits and dashes"),
    fromReleaseId: id,
    description: text(5_000),
    hostOrgIds: z.array(id).max(50).default([]),
    splitPolicyVersionId: id.optional(),
  }),
  federation_quorum: z.object({ quorum: quorumRuleSchema, reason: text(5_000) }),
} satisfies Record<ProposalKind, z.ZodType>;

export type ProposalContent<K extends ProposalKind> = z.infer<(typeof proposalContentSchemas)[K]>;

export const defaultRules: Record<ProposalKind, Rule> = {
  release: { type: "release", minWindowHours: 72, minBindingApprovals: 3 },
  policy: { type: "consensus", minWindowHours: 72, minBindingApprovals: 3 },
  code_of_conduct: { type: "consensus", minWindowHours: 72, minBindingApprovals: 3 },
  split_policy: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
  host_admission: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
  host_removal: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
  roster_change: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
  fork: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
  federation_quorum: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
};

/** The lowest values an admin may set; a kind's rule type never changes. */
export const ruleFloors = {
  release: { minWindowHours: 72, minBindingApprovals: 3 },
  consensus: { minWindowHours: 24, minBindingApprovals: 1 },
  majority: { minWindowHours: 24, quorumPercent: 1 },
} as const;

export const ruleSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("release"),
    minWindowHours: z
      .number()
      .int()
      .min(ruleFloors.release.minWindowHours)
      .max(24 * 60),
    minBindingApprovals: z.number().int().min(ruleFloors.release.minBindingApprovals).max(100),
  }),
  z.object({
    type: z.literal("consensus"),
    minWindowHours: z
      .number()
      .int()
      .min(ruleFloors.consensus.minWindowHours)
      .max(24 * 60),
    minBindingApprovals: z.number().int().min(ruleFloors.consensus.minBindingApprovals).max(100),
  }),
  z.object({
    type: z.literal("majority"),
    minWindowHours: z
      .number()
      .int()
      .min(ruleFloors.majority.minWindowHours)
      .max(24 * 60),
    quorumPercent: z.number().int().min(ruleFloors.majority.quorumPercent).max(100),
  }),
]);

export function isProposalKind(v: string): v is ProposalKind {
  return (proposalKinds as readonly string[]).includes(v);
}

/** A rule in words, as shown on the proposal. */
export function describeRule(rule: Rule): string {
  switch (rule.type) {
    case "release":
      return `Passes with at least ${rule.minBindingApprovals} binding +1 and more binding +1 than binding -1; a -1 is not a veto. Open at least ${rule.minWindowHours} hours.`;
    case "consensus":
      return `Consensus: at least ${rule.minBindingApprovals} binding +1 and no veto; a binding -1 is a veto only with a written justification. Open at least ${rule.minWindowHours} hours.`;
    case "majority":
      return `Majority of binding votes cast (abstentions count as cast), with a quorum of ${rule.quorumPercent}% of binding voters. Open at least ${rule.minWindowHours} hours.`;
  }
}
