import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { UserActor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { defaultRules, ruleSchema, type ProposalKind } from "@/lib/governance/proposal-kinds";
import type { Rule } from "@/lib/governance/verifier/tally-rules";

/**
 * Sets the rule of a proposal kind (org admins). The kind's rule type is
 * fixed and the values cannot go below the floors in proposal-kinds.ts.
 * Proposals already made keep the rule they copied. The actor must be an
 * org admin, checked inside the transaction that changes the rule.
 */
export async function updateGovernanceRule(input: {
  kind: ProposalKind;
  rule: unknown;
  actor: UserActor;
}): Promise<Rule> {
  const rule = ruleSchema.parse(input.rule);
  if (rule.type !== defaultRules[input.kind].type) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: `A ${input.kind} proposal is decided by the ${defaultRules[input.kind].type} rule; only its values can change.`,
      reason: "RULE_TYPE_FIXED",
    });
  }
  return db().$transaction(async (tx) => {
    await assertPermitted(
      tx,
      input.actor,
      { role: "ORG_ADMIN" },
      { userMessage: "Only an org admin changes a vote's rule." },
    );
    await tx.governanceRule.upsert({
      where: { kind: input.kind },
      create: { kind: input.kind, rule, updatedById: input.actor.id },
      update: { rule, updatedById: input.actor.id, updatedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor: input.actor,
      action: "governance_rule.updated",
      subject: { type: "governance_rule", id: input.kind },
      state: rule,
      data: { kind: input.kind, ...rule },
    });
    return rule;
  });
}
