import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/is-unique-violation";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { emailSchema } from "@/lib/mail/email-address";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { globalRoleLabels } from "@/lib/orgs/role-labels";
import { queueMail } from "@/lib/mail/queue-mail";
import { env } from "@/lib/config/env";
import { accountCreatedEmail } from "@/emails/account-created";

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(100).optional(),
  roles: z.array(globalRoleSchema).max(4).default([]),
});

/**
 * Creates an account for an address (org admins and the operator CLI), with
 * optional umbrella-wide roles, in one transaction; an admin's new account
 * is mailed its welcome in the same transaction. The address counts as
 * unverified until its owner signs in with an emailed code, so an account
 * made here cannot accept invitations before that.
 */
export async function createUser({ actor, ...input }: { actor: Actor } & z.input<typeof createUserSchema>) {
  const { email, name, roles } = createUserSchema.parse(input);
  try {
    return await db().$transaction(async (tx) => {
      await assertOrgAdmin(tx, actor);
      const user = await tx.user.create({ data: { id: newId("usr"), email, name } });
      await appendAuditEvent(tx, {
        actor,
        action: "user.created",
        subject: { type: "user", id: user.id },
        state: { email, name: name ?? null },
        data: { via: actor.type === "system" ? actor.id : "admin" },
      });
      for (const role of new Set(roles)) {
        await tx.userRole.create({ data: { userId: user.id, role, grantedBy: actor.id } });
        await appendAuditEvent(tx, {
          actor,
          action: "role.granted",
          subject: { type: "user", id: user.id },
          state: { role },
          data: { role },
        });
      }
      // A person an admin made an account for learns it from us, with how to sign in (not the CLI's or a seed's).
      if (actor.type === "user") {
        const admin = await tx.user.findUnique({ where: { id: actor.id }, select: { name: true, email: true } });
        await queueMail(tx, {
          to: email,
          template: "account-created",
          content: accountCreatedEmail({
            createdBy: admin?.name ? `${admin.name} (a Guildhall org admin)` : "A Guildhall org admin",
            roleWords: [...new Set(roles)].map((r) => globalRoleLabels[r]),
            signInUrl: `${env().publicUrl}/sign-in`,
          }),
        });
      }
      return { ...user, roles: [...new Set(roles)] };
    });
  } catch (e) {
    if (isUniqueViolation(e, ["email"])) {
      throw new AppError("CONFLICT", { userMessage: `An account for ${email} already exists.`, reason: "EMAIL_TAKEN" });
    }
    throw e;
  }
}
