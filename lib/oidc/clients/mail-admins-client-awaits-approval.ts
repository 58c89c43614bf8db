import "server-only";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { queueMail } from "@/lib/mail/queue-mail";
import { clientAwaitingApprovalEmail } from "@/emails/client-awaiting-approval";

/**
 * Tells every org admin (enabled accounts) that a host's new client waits for
 * approval, in the registering transaction, so the mail goes exactly when the
 * client exists. Without it, a registration waited until an admin happened to
 * open /admin/clients.
 */
export async function mailAdminsClientAwaitsApproval(
  tx: Tx,
  client: { name: string; redirectUris: string[]; hostOrgId: string },
): Promise<void> {
  // One after another: the queries of an interactive transaction share one connection.
  const host = await tx.organization.findUnique({ where: { id: client.hostOrgId }, select: { name: true } });
  const admins = await tx.userRole.findMany({
    where: { role: "ORG_ADMIN", user: { disabledAt: null } },
    select: { user: { select: { email: true } } },
  });
  const email = clientAwaitingApprovalEmail({
    clientName: client.name,
    hostName: host?.name ?? "A host",
    redirectHosts: [...new Set(client.redirectUris.map((u) => new URL(u).host))],
    reviewUrl: `${env().publicUrl}/admin/clients`,
  });
  for (const a of admins)
    await queueMail(tx, { to: a.user.email, template: "client-awaiting-approval", content: email });
}
