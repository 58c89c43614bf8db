import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { revokeCredentialsOf } from "@/lib/access/credential-revokers";
import { idSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";

export const disableUserSchema = z.object({
  userId: idSchema,
  reason: z.string().trim().min(3, "Say why the account is disabled.").max(500),
});

/**
 * Disables an account (org admins and the operator CLI) and, in the same
 * transaction, ends every credential that acts for it: sessions (the hosts
 * are told, by back-channel logout), OpenID grants with their tokens, theater
 * API tokens (lib/access/credential-revokers.ts lists them). Every check of a
 * credential at use refuses a disabled user as well, so nothing issued before
 * or after this moment works for them. Checks, in order: the caller is an org
 * admin; it is not their own account (an admin locked out by their own hand
 * can do nothing about it); it is not the last enabled org admin. Disabling a
 * disabled account changes nothing.
 */
export async function disableUser({ actor, ...input }: { actor: Actor } & z.input<typeof disableUserSchema>) {
  const { userId, reason } = disableUserSchema.parse(input);
  return db().$transaction(async (tx) => {
    await assertOrgAdmin(tx, actor);
    if (actor.type === "user" && actor.id === userId)
      throw new AppError("CONFLICT", { userMessage: "You cannot disable your own account.", reason: "DISABLE_SELF" });
    await lockForTransaction(tx, advisoryLockIds.lastOrgAdmin);
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { disabledAt: true, roles: { select: { role: true } } },
    });
    if (!user) throw new AppError("NOT_FOUND", { userMessage: "No such user.", reason: "USER_NOT_FOUND" });
    if (user.disabledAt) return { changed: false, ended: {} };
    if (user.roles.some((r) => r.role === "ORG_ADMIN")) {
      const otherAdmins = await tx.userRole.count({
        where: { role: "ORG_ADMIN", userId: { not: userId }, user: { disabledAt: null } },
      });
      if (otherAdmins === 0)
        throw new AppError("CONFLICT", {
          userMessage: "This is the last org admin; grant the role to someone else first.",
          reason: "LAST_ORG_ADMIN",
        });
    }
    await tx.user.update({ where: { id: userId }, data: { disabledAt: new Date() } });
    const ended = await revokeCredentialsOf(tx, userId);
    await appendAuditEvent(tx, {
      actor,
      action: "user.disabled",
      subject: { type: "user", id: userId },
      state: { disabled: true },
      data: { reason, ended },
    });
    return { changed: true, ended };
  });
}
