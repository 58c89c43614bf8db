import { db } from "@/lib/db/client";
import { getUserAccess } from "@/lib/access/user-access";
import type { Actor } from "@/lib/access/actor";
import { openedMail } from "@/tests/support/mail";

/** A principal for a user as the portal would build it after requireAccess. */
export async function principalOf(userId: string): Promise<Actor> {
  return { type: "user", id: userId, access: await getUserAccess(userId) };
}

/** The accept link of the newest invitation mailed to an address. */
export async function lastInvitationToken(email: string): Promise<string> {
  const mail = await db().mailMessage.findFirst({
    where: { to: email, template: "org-invitation" },
    orderBy: { createdAt: "desc" },
  });
  const match = (mail && openedMail(mail))?.text.match(/\/invitations\/([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

export async function lastAuditActions(n: number): Promise<string[]> {
  const rows = await db().auditEvent.findMany({ orderBy: { queued: "desc" }, take: n, select: { action: true } });
  return rows.map((r) => r.action).reverse();
}
