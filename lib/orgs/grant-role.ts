import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { globalRoleSchema, idSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin, auditActorOf, type Principal } from "@/lib/orgs/principal";

export const grantRoleSchema = z.object({ userId: idSchema, role: globalRoleSchema });

/** Grants an umbrella-wide role (org admins only). Granting a role already held changes nothing. */
export async function grantRole(input: z.input<typeof grantRoleSchema>, by: Principal) {
  const { userId, role } = grantRoleSchema.parse(input);
  assertOrgAdmin(by);
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError("NOT_FOUND", { userMessage: "No such user." });
    const existing = await tx.userRole.findUnique({ where: { userId_role: { userId, role } } });
    if (existing) return { changed: false };
    await tx.userRole.create({ data: { userId, role, grantedBy: by.id } });
    await appendAuditEvent(tx, {
      actor: auditActorOf(by),
      action: "role.granted",
      subject: { type: "user", id: userId },
      state: { role },
      data: { role },
    });
    return { changed: true };
  });
}
