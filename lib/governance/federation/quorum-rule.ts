import { z } from "zod";

/**
 * How many admitted hosts a backend must see online before it opens.
 * `majority`: more than half of the admitted hosts (the default, so two
 * halves of a split network never both open); `count`: a fixed number, set
 * by a federation-quorum vote.
 */
export const quorumRuleSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("majority") }),
  z.object({ type: z.literal("count"), hosts: z.number().int().min(1).max(1000) }),
]);

export type QuorumRule = z.infer<typeof quorumRuleSchema>;

export const defaultQuorumRule: QuorumRule = { type: "majority" };

/** The number of admitted hosts (itself included) a backend must see, given how many are admitted. */
export function quorumSize(rule: QuorumRule, admittedHosts: number): number {
  if (rule.type === "count") return rule.hosts;
  return Math.floor(admittedHosts / 2) + 1;
}

export function describeQuorumRule(rule: QuorumRule): string {
  return rule.type === "majority"
    ? "more than half of the admitted hosts"
    : `at least ${rule.hosts} admitted host${rule.hosts === 1 ? "" : "s"}`;
}
