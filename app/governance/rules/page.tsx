import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listGovernanceRules } from "@/lib/governance/get-governance-rule";
import { describeRule, proposalKindLabels, ruleFloors } from "@/lib/governance/proposal-kinds";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { RuleForm } from "./rule-form";

export const metadata: Metadata = { title: "Governance rules" };

/** Org admins tune each kind's rule; proposals already made keep the rule they copied. */
export default async function RulesPage() {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/governance/rules");
  const [rules, forks] = await Promise.all([listGovernanceRules(), listForkOrigins()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Governance rules</h1>
      <ForkNotice forks={forks} />
      {forks.length > 0 && (
        // A rule is one setting per kind, not a dated record: it is the origin's when it was last changed there
        // (the fork carries the row as it was), this Guildhall's own when changed since, and the default otherwise.
        <p className="text-sm text-stone-700" data-testid="rules-origin">
          Customized rules marked <q>from {forks[forks.length - 1].host}</q> were set at the origin and came with the
          fork unchanged; the others were set here, or are this Guildhall&apos;s defaults. Proposals keep the rule they
          copied when they were made, wherever that was.
        </p>
      )}
      <p className="text-sm text-stone-700">
        A kind&apos;s rule type is fixed; its values can be raised, and lowered only to the floor (release:{" "}
        {ruleFloors.release.minBindingApprovals} binding +1, {ruleFloors.release.minWindowHours} hours).
      </p>
      {rules.map((r) => (
        <section key={r.kind} className="card space-y-2">
          <h2 className="font-semibold">
            {proposalKindLabels[r.kind]}{" "}
            {r.customized && <span className="text-xs font-normal text-stone-500">(customized)</span>}
            {r.customized && <OriginMark origin={originOfRecord(forks, r.updatedAt)} />}
          </h2>
          <p className="text-sm">{describeRule(r.rule)}</p>
          <RuleForm kind={r.kind} rule={r.rule} />
        </section>
      ))}
    </div>
  );
}
