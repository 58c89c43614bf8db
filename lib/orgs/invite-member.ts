import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { emailSchema } from "@/lib/mail/email-address";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { queueMail } from "@/lib/mail/queue-mail";
import { kickOutbox } from "@/lib/outbox/kick-outbox";
import { consumeRateLimit, rateLimits } from "@/lib/rate-limit/consume-rate-limit";
import { idSchema } from "@/lib/orgs/org-schemas";
import { assertCanManageOrg, managerRoleOf } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { membershipRoleLabels } from "@/lib/orgs/role-labels";
import { orgInvitationEmail } from "@/emails/org-invitation";

export const INVITATION_TTL_DAYS = 7;

export const inviteMemberSchema = z.object({ orgId: idSchema, email: emailSchema });

/**
 * Invites an email address into an organization, with the organization's
 * manager role (theater admin or host operator). Checks, in order: input,
 * the organization exists, the actor manages it, it is not suspended,
 * the address is not already a member, the per-address mail rate limit.
 * The token is mailed and kept only as its SHA-256; an earlier pending
 * invitation of the same address to the same organization is revoked, so
 * only the newest link works.
 */
export async function inviteMember({ actor, ...input }: { actor: Actor } & z.input<typeof inviteMemberSchema>) {
  const { orgId, email } = inviteMemberSchema.parse(input);
  const org = await db().organization.findUnique({ where: { id: orgId } });
  if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
  await assertCanManageOrg(db(), actor, org);
  if (org.status === "SUSPENDED")
    throw new AppError("CONFLICT", {
      userMessage: `${org.name} is suspended; it cannot invite anyone.`,
      reason: "ORG_SUSPENDED",
    });
  const existing = await db().membership.findFirst({ where: { orgId, user: { email } } });
  if (existing)
    throw new AppError("CONFLICT", {
      userMessage: `${email} is already a member of ${org.name}.`,
      reason: "ALREADY_MEMBER",
    });
  await consumeRateLimit(rateLimits.mailPerAddress, email);

  const token = randomToken(32);
  const role = managerRoleOf(org.kind);
  const invitation = await db().$transaction(async (tx) => {
    const stale = await tx.invitation.findMany({
      where: { orgId, email, acceptedAt: null, revokedAt: null },
      select: { id: true },
    });
    for (const s of stale) {
      await tx.invitation.update({ where: { id: s.id }, data: { revokedAt: new Date() } });
      await appendAuditEvent(tx, {
        actor,
        action: "invitation.revoked",
        subject: { type: "invitation", id: s.id },
        state: { orgId, email, revoked: true },
        data: { orgId, replaced: true },
      });
    }
    const created = await tx.invitation.create({
      data: {
        id: newId("inv"),
        orgId,
        email,
        role,
        tokenHash: sha256Hex(token),
        invitedById: actor.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "invitation.created",
      subject: { type: "invitation", id: created.id },
      state: { orgId, email, role, expiresAt: created.expiresAt.toISOString() },
      data: { orgId, email, role },
    });
    const inviter =
      actor.type === "user"
        ? await tx.user.findUnique({ where: { id: actor.id }, select: { name: true, email: true } })
        : null;
    await queueMail(tx, {
      to: email,
      template: "org-invitation",
      content: orgInvitationEmail({
        orgName: org.name,
        roleLabel: membershipRoleLabels[role],
        inviterName: inviter ? (inviter.name ?? inviter.email) : "A Guildhall operator",
        acceptUrl: `${env().publicUrl}/invitations/${token}`,
        ttlDays: INVITATION_TTL_DAYS,
      }),
    });
    return created;
  });
  kickOutbox();
  const { tokenHash: _omit, ...visible } = invitation;
  return visible;
}
