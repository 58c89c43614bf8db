import "server-only";
import { db } from "@/lib/db/client";
import { listReleaseLines } from "@/lib/governance/list-release-lines";
import { listGovernanceRules } from "@/lib/governance/get-governance-rule";

/**
 * What the new-proposal form offers: release lines and approved releases,
 * host organizations (for admission and removal), accounts (for roster
 * changes, by name only) and each kind's current rule.
 */
export async function listProposalChoices() {
  const [lines, hosts, users, rules] = await Promise.all([
    listReleaseLines(),
    db().organization.findMany({
      where: { kind: "HOST" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, status: true },
    }),
    db().user.findMany({
      where: { disabledAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, roles: { select: { role: true } } },
      take: 1000,
    }),
    listGovernanceRules(),
  ]);
  return {
    releaseLines: lines.map((l) => ({ id: l.id, name: l.name })),
    releases: lines.flatMap((l) => l.releases.map((r) => ({ id: r.id, label: `${l.name} ${r.version}` }))),
    hosts,
    users: users.map((u) => ({ id: u.id, name: u.name ?? u.id, roles: u.roles.map((r) => r.role) })),
    rules: rules.map((r) => ({ kind: r.kind, minWindowHours: r.rule.minWindowHours })),
  };
}
export type ProposalChoices = Awaited<ReturnType<typeof listProposalChoices>>;
