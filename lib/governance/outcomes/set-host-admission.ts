import type { Tx } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { setOrganizationStatus } from "@/lib/orgs/set-organization-status";
import { setHostClientsStatus } from "@/lib/oidc/clients/set-host-clients-status";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect } from "@/lib/governance/outcomes/outcome-effect";

/**
 * A passed host admission makes the host organization ACTIVE and reinstates
 * its suspended OIDC clients; a removal SUSPENDS the host and its approved
 * clients, so nobody signs in through it any more. Both in the close's
 * transaction, audited by lib/orgs and lib/oidc.
 */
export async function setHostAdmission(
  tx: Tx,
  p: { kind: "host_admission" | "host_removal"; content: ProposalContent<"host_admission"> },
  actor: AuditActor,
): Promise<OutcomeEffect> {
  const admit = p.kind === "host_admission";
  await setOrganizationStatus(tx, p.content.hostOrgId, admit ? "ACTIVE" : "SUSPENDED", actor);
  const clients = await setHostClientsStatus(tx, p.content.hostOrgId, admit ? "approved" : "suspended", actor);
  return {
    effectStatus: "applied",
    effectNote: `Host ${admit ? "admitted (ACTIVE)" : "suspended"}; ${clients.length} OIDC client(s) ${admit ? "reinstated" : "suspended"}.`,
  };
}
