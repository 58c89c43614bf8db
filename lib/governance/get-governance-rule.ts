import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { defaultRules, proposalKinds, ruleSchema, type ProposalKind } from "@/lib/governance/proposal-kinds";
import type { Rule } from "@/lib/governance/verifier/tally-rules";

/** The rule a new proposal of this kind gets: the org's setting, or the default. */
export async function getGovernanceRule(kind: ProposalKind, client: Tx = db()): Promise<Rule> {
  const row = await client.governanceRule.findUnique({ where: { kind } });
  const parsed = row ? ruleSchema.safeParse(row.rule) : undefined;
  return parsed?.success ? parsed.data : defaultRules[kind];
}

export async function listGovernanceRules(): Promise<
  { kind: ProposalKind; rule: Rule; customized: boolean; updatedAt: Date | null }[]
> {
  const rows = await db().governanceRule.findMany();
  return proposalKinds.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    const parsed = row ? ruleSchema.safeParse(row.rule) : undefined;
    return {
      kind,
      rule: parsed?.success ? parsed.data : defaultRules[kind],
      customized: Boolean(parsed?.success),
      updatedAt: row?.updatedAt ?? null,
    };
  });
}
