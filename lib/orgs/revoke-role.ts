import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { globalRoleSchema, idSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";

// The reason is what the admin typed to confirm (the portal requires one); the CLI may give none.
export const revokeRoleSchema = z.object({
  userId: idSchema,
  role: globalRoleSchema,
  reason: z.string().trim().max(500).optional(),
});

// Serializes changes to the set of org admins, so two admins removing each
// other at once cannot both pass the last-admin check.

/**
 * Revokes an umbrella-wide role (org admins only). The last ORG_ADMIN cannot
 * be revoked: nobody could then grant roles from the portal. Revoking a role
 * not held changes nothing.
 */
export async function revokeRole({ actor, ...input }: { actor: Actor } & z.input<typeof revokeRoleSchema>) {
  const { userId, role, reason } = revokeRoleSchema.parse(input);
  return db().$transaction(async (tx) => {
    await assertOrgAdmin(tx, actor);
    if (role === "ORG_ADMIN") await lockForTransaction(tx, advisoryLockIds.lastOrgAdmin);
    const existing = await tx.userRole.findUnique({ where: { userId_role: { userId, role } } });
    if (!existing) return { changed: false };
    const otherAdmins =
      role === "ORG_ADMIN"
        ? await tx.userRole.count({ where: { role: "ORG_ADMIN", userId: { not: userId }, user: { disabledAt: null } } })
        : 1;
    if (otherAdmins === 0) {
      throw new AppError("CONFLICT", {
        userMessage: "This is the last org admin; grant the role to someone else first.",
        reason: "LAST_ORG_ADMIN",
      });
    }
    await tx.userRole.delete({ where: { userId_role: { userId, role } } });
    await appendAuditEvent(tx, {
      actor,
      action: "role.revoked",
      subject: { type: "user", id: userId },
      state: { role, held: false },
      data: { role, ...(reason ? { reason } : {}) },
    });
    return { changed: true };
  });
}
