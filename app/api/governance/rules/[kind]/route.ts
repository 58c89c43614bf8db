import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { updateGovernanceRule } from "@/lib/governance/update-governance-rule";
import { answer, parseBody } from "@/lib/http/api-contract";
import { ruleSchema } from "@/lib/governance/proposal-kinds";
import { ruleParamsSchema, updateRuleResponseSchema } from "@/app/api/governance/rules/[kind]/schemas";

/** Org admins tune a kind's rule (never below its floor; open proposals keep theirs). */
export const PUT = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "ORG_ADMIN" });
    const { kind } = params;
    const rule = await updateGovernanceRule({
      kind,
      rule: await parseBody(ruleSchema, req),
      actor,
    });
    return answer(updateRuleResponseSchema, { kind, rule });
  },
  { params: ruleParamsSchema },
);
