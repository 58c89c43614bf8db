import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { idSchema } from "@/lib/orgs/org-schemas";
import { invitationState } from "@/lib/orgs/get-invitation-by-token";
import { assertCanManageOrg } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";

export const revokeInvitationSchema = z.object({ invitationId: idSchema });

/** Withdraws a pending invitation (the organization's managers and org admins). */
export async function revokeInvitation({ actor, ...input }: { actor: Actor } & z.input<typeof revokeInvitationSchema>) {
  const { invitationId } = revokeInvitationSchema.parse(input);
  return db().$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { id: invitationId }, include: { org: true } });
    if (!inv) throw new AppError("NOT_FOUND", { userMessage: "No such invitation." });
    await assertCanManageOrg(tx, actor, inv.org);
    const state = invitationState(inv);
    if (state !== "pending")
      throw new AppError("CONFLICT", {
        userMessage: `This invitation is already ${state}.`,
        reason: `INVITATION_${state.toUpperCase() as Uppercase<typeof state>}` as const,
      });
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await appendAuditEvent(tx, {
      actor,
      action: "invitation.revoked",
      subject: { type: "invitation", id: inv.id },
      state: { orgId: inv.orgId, email: inv.email, revoked: true },
      data: { orgId: inv.orgId },
    });
    return { orgId: inv.orgId };
  });
}
