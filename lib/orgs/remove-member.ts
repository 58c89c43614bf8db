import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { idSchema } from "@/lib/orgs/org-schemas";
import { assertCanManageOrg, orgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { permits } from "@/lib/access/permission";
import { advisoryLockNames, lockNameForTransaction } from "@/lib/db/advisory-locks";

export const removeMemberSchema = z.object({ orgId: idSchema, userId: idSchema });

/**
 * Removes a user from an organization. Checks, in order: the organization
 * exists, the actor manages it, the user is a member, and a manager who
 * is not an org admin does not remove the organization's last member (which
 * would leave nobody but org admins able to run it).
 */
export async function removeMember({ actor, ...input }: { actor: Actor } & z.input<typeof removeMemberSchema>) {
  const { orgId, userId } = removeMemberSchema.parse(input);
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: orgId } });
    if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
    await assertCanManageOrg(tx, actor, org);
    // Serializes removals in this organization so two managers cannot remove each other at once.
    await lockNameForTransaction(tx, advisoryLockNames.membership(orgId));
    const membership = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } } });
    if (!membership)
      throw new AppError("NOT_FOUND", { userMessage: "That user is not a member.", reason: "NOT_A_MEMBER" });
    const count = await tx.membership.count({ where: { orgId } });
    if (count === 1 && !(await permits(tx, actor, orgAdmin))) {
      throw new AppError("CONFLICT", {
        userMessage: `You cannot remove the last member of ${org.name}; ask an org admin.`,
        reason: "LAST_MEMBER",
      });
    }
    await tx.membership.delete({ where: { orgId_userId: { orgId, userId } } });
    await appendAuditEvent(tx, {
      actor,
      action: "membership.revoked",
      subject: { type: "organization", id: orgId },
      state: { userId, role: null },
      data: { userId, role: membership.role },
    });
    return { orgId, userId };
  });
}
