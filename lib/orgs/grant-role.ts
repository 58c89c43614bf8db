import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { globalRoleSchema, idSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";

// The reason is what the admin typed to confirm (the portal requires one); the CLI and the seed may give none.
export const grantRoleSchema = z.object({
  userId: idSchema,
  role: globalRoleSchema,
  reason: z.string().trim().max(500).optional(),
});

/** Grants an umbrella-wide role (org admins only). Granting a role already held changes nothing. */
export async function grantRole({ actor, ...input }: { actor: Actor } & z.input<typeof grantRoleSchema>) {
  const { userId, role, reason } = grantRoleSchema.parse(input);
  return db().$transaction(async (tx) => {
    await assertOrgAdmin(tx, actor);
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError("NOT_FOUND", { userMessage: "No such user." });
    const existing = await tx.userRole.findUnique({ where: { userId_role: { userId, role } } });
    if (existing) return { changed: false };
    await tx.userRole.create({ data: { userId, role, grantedBy: actor.id } });
    await appendAuditEvent(tx, {
      actor,
      action: "role.granted",
      subject: { type: "user", id: userId },
      state: { role },
      data: { role, ...(reason ? { reason } : {}) },
    });
    return { changed: true };
  });
}
