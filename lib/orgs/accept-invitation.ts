import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { invitationState, invitationTokenSchema } from "@/lib/orgs/get-invitation-by-token";

export const acceptInvitationSchema = z.object({ token: invitationTokenSchema, userId: z.string().min(1) });

/**
 * The signed-in user accepts an invitation. Checks, in order: the token names
 * an invitation, it is still pending (not used, revoked or expired), the
 * organization is not suspended, the user's email is the address invited,
 * and it is confirmed (a person who signed up through the link has an
 * unconfirmed address until they enter the code: they are told that, not
 * that they used the wrong address). The invitation is marked used with a conditional update,
 * so two concurrent accepts of one link cannot both succeed.
 */
export async function acceptInvitation(input: z.input<typeof acceptInvitationSchema>) {
  const { token, userId } = acceptInvitationSchema.parse(input);
  return db().$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: true } });
    if (!inv)
      throw new AppError("NOT_FOUND", {
        userMessage: "This invitation link is not valid.",
        reason: "INVITATION_NOT_FOUND",
      });
    const state = invitationState(inv);
    if (state !== "pending") {
      const userMessage = {
        accepted: "This invitation has already been used.",
        revoked: "This invitation was withdrawn.",
        expired: "This invitation has expired. Ask for a new one.",
      }[state];
      throw new AppError("GONE", {
        userMessage,
        reason: `INVITATION_${state.toUpperCase() as Uppercase<typeof state>}` as const,
      });
    }
    if (inv.org.status === "SUSPENDED")
      throw new AppError("CONFLICT", {
        userMessage: `${inv.org.name} is suspended; it cannot take new members now.`,
        reason: "ORG_SUSPENDED",
      });
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (user?.email === inv.email && !user.emailVerifiedAt)
      throw new AppError("FORBIDDEN", {
        userMessage: `Confirm your email address first: enter the code we emailed to ${inv.email}, then accept.`,
        reason: "EMAIL_UNCONFIRMED",
      });
    if (!user?.emailVerifiedAt || user.email !== inv.email) {
      throw new AppError("FORBIDDEN", {
        userMessage: `This invitation was sent to ${inv.email}. Sign in with that address to accept it.`,
        reason: "INVITATION_EMAIL_MISMATCH",
      });
    }
    const now = new Date();
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: now, acceptedById: userId },
    });
    if (claimed.count !== 1)
      throw new AppError("GONE", {
        userMessage: "This invitation has already been used.",
        reason: "INVITATION_ACCEPTED",
      });
    const membership = await tx.membership.upsert({
      where: { orgId_userId: { orgId: inv.orgId, userId } },
      create: { orgId: inv.orgId, userId, role: inv.role },
      update: { role: inv.role },
    });
    const actor = { type: "user" as const, id: userId };
    await appendAuditEvent(tx, {
      actor,
      action: "invitation.accepted",
      subject: { type: "invitation", id: inv.id },
      state: { orgId: inv.orgId, email: inv.email, acceptedBy: userId },
      data: { orgId: inv.orgId },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "membership.granted",
      subject: { type: "organization", id: inv.orgId },
      state: { userId, role: inv.role },
      data: { userId, role: inv.role, via: "invitation" },
    });
    return { org: inv.org, membership };
  });
}
