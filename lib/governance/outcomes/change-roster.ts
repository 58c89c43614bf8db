import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { ProposalContent } from "@/lib/governance/proposal-kinds";
import type { OutcomeEffect } from "@/lib/governance/outcomes/outcome-effect";

/**
 * A passed roster change grants or revokes MEMBER or COMMITTER. Written here
 * rather than through lib/orgs' grantRole/revokeRole because those open their
 * own transaction and check an admin's permission, while a vote's outcome
 * must commit with the close and needs no admin. Same audit actions.
 */
export async function changeRoster(
  tx: Tx,
  { proposal: p, actor }: { proposal: { id: string; content: ProposalContent<"roster_change"> }; actor: Actor },
): Promise<OutcomeEffect> {
  const { userId, role, change } = p.content;
  const held = await tx.userRole.findUnique({ where: { userId_role: { userId, role } } });
  if (change === "grant") {
    if (held) return { effectStatus: "none", effectNote: `Passed; the user already holds ${role}.` };
    await tx.userRole.create({ data: { userId, role, grantedBy: `proposal:${p.id}` } });
    await appendAuditEvent(tx, {
      actor,
      action: "role.granted",
      subject: { type: "user", id: userId },
      state: { role },
      data: { role, proposalId: p.id },
    });
    return { effectStatus: "applied", effectNote: `${role} granted.` };
  }
  if (!held) return { effectStatus: "none", effectNote: `Passed; the user did not hold ${role}.` };
  await tx.userRole.delete({ where: { userId_role: { userId, role } } });
  await appendAuditEvent(tx, {
    actor,
    action: "role.revoked",
    subject: { type: "user", id: userId },
    state: { role, held: false },
    data: { role, proposalId: p.id },
  });
  return { effectStatus: "applied", effectNote: `${role} revoked.` };
}
