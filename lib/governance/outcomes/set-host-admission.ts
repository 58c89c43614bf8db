import type { Tx } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { setOrganizationStatus } from "@/lib/orgs/set-organization-status";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect } from "@/lib/governance/outcomes/apply-proposal-outcome";

/**
 * A passed host admission makes the host organization ACTIVE; a removal
 * SUSPENDS it. Its OIDC clients follow through lib/oidc's setHostClientsStatus
 * once that is merged; until then the note says so.
 */
export async function setHostAdmission(
  tx: Tx,
  p: { kind: "host_admission" | "host_removal"; content: ProposalContent<"host_admission"> },
  actor: AuditActor,
): Promise<OutcomeEffect> {
  const status = p.kind === "host_admission" ? "ACTIVE" : "SUSPENDED";
  await setOrganizationStatus(tx, p.content.hostOrgId, status, actor);
  return { effectStatus: "applied", effectNote: `Host organization ${status === "ACTIVE" ? "admitted (ACTIVE)" : "suspended"}. Its OIDC clients are not switched from here yet (lib/oidc not merged).` };
}
