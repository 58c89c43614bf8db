import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { proposalKinds, ruleSchema } from "@/lib/governance/proposal-kinds";
import { governanceReasons } from "@/app/api/governance/governance-schemas";

export const ruleParamsSchema = z.object({ kind: z.enum(proposalKinds) });
export const updateRuleResponseSchema = z.object({ kind: z.enum(proposalKinds), rule: ruleSchema });

export const updateRuleOperation = defineOperation({
  method: "PUT",
  path: "/api/governance/rules/{kind}",
  operationId: "updateGovernanceRule",
  summary: "Tune a proposal kind's rule (never below its floor; open proposals keep theirs)",
  auth: "session",
  access: "ORG_ADMIN",
  request: { params: ruleParamsSchema, body: ruleSchema },
  responses: { 200: { description: "The rule", schema: updateRuleResponseSchema } },
  errors: { 422: "The rule's type is fixed for its kind (RULE_TYPE_FIXED)" },
  reasons: governanceReasons,
});
