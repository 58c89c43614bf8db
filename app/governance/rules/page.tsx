import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listGovernanceRules } from "@/lib/governance/get-governance-rule";
import { describeRule, proposalKindLabels, ruleFloors } from "@/lib/governance/proposal-kinds";
import { RuleForm } from "./rule-form";

export const metadata: Metadata = { title: "Governance rules" };

/** Org admins tune each kind's rule; proposals already made keep the rule they copied. */
export default async function RulesPage() {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/governance/rules");
  const rules = await listGovernanceRules();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Governance rules</h1>
      <p className="text-sm text-stone-700">
        A kind&apos;s rule type is fixed; its values can be raised, and lowered only to the floor (release:{" "}
        {ruleFloors.release.minBindingApprovals} binding +1, {ruleFloors.release.minWindowHours} hours).
      </p>
      {rules.map((r) => (
        <section key={r.kind} className="card space-y-2">
          <h2 className="font-semibold">
            {proposalKindLabels[r.kind]}{" "}
            {r.customized && <span className="text-xs font-normal text-stone-500">(customized)</span>}
          </h2>
          <p className="text-sm">{describeRule(r.rule)}</p>
          <RuleForm kind={r.kind} rule={r.rule} />
        </section>
      ))}
    </div>
  );
}
