import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { clientState } from "@/lib/oidc/clients/client-state";
import type { ClientStatus } from "@/lib/oidc/clients/create-client";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

// Which status may follow which: a rejected client stays rejected (register anew).
const allowed: Record<ClientStatus, ClientStatus[]> = {
  pending: ["approved", "rejected"],
  approved: ["suspended"],
  suspended: ["approved"],
  rejected: [],
};

/**
 * Approves, rejects, suspends or reinstates a client. A suspended client's
 * tokens stop verifying at once (verifyAccessToken and introspection check the
 * client's status) and it cannot get new ones.
 */
export async function setClientStatus(
  tx: Tx,
  { clientId, status, actor }: { clientId: string; status: ClientStatus; actor: Actor },
) {
  const client = await tx.oidcClient.findUnique({ where: { id: clientId } });
  if (!client) throw new AppError("NOT_FOUND", { userMessage: "No such client." });
  if (client.status === status) return client;
  if (!allowed[client.status as ClientStatus]?.includes(status)) {
    throw new AppError("CONFLICT", {
      userMessage: `A ${client.status} client cannot become ${status}.`,
      reason: "CLIENT_STATUS_TRANSITION",
    });
  }
  const updated = await tx.oidcClient.update({ where: { id: clientId }, data: { status } });
  invalidateLocalCaches();
  await appendAuditEvent(tx, {
    actor,
    action: `oidc_client.${status}`,
    subject: { type: "oidc_client", id: clientId },
    state: clientState(updated),
    data: { from: client.status, to: status },
  });
  return updated;
}
