import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { idSchema, membershipRoleSchema } from "@/lib/orgs/org-schemas";
import { assertOrgAdmin, managerRoleOf } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";

export const addMemberSchema = z.object({ orgId: idSchema, userId: idSchema, role: membershipRoleSchema.optional() });

/**
 * Makes an existing user a member of an organization without an invitation
 * (org admins and the operator CLI). The role must be the organization's
 * kind of role: theater admin for a theater, host operator for a host.
 * Adding someone who is already a member changes nothing.
 */
export async function addMember({ actor, ...input }: { actor: Actor } & z.input<typeof addMemberSchema>) {
  const parsed = addMemberSchema.parse(input);
  return db().$transaction(async (tx) => {
    await assertOrgAdmin(tx, actor);
    const org = await tx.organization.findUnique({ where: { id: parsed.orgId } });
    if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
    const role = managerRoleOf(org.kind);
    if (parsed.role && parsed.role !== role) {
      throw new AppError("UNPROCESSABLE", {
        userMessage: `A ${org.kind.toLowerCase()} organization has ${role} members, not ${parsed.role}.`,
        reason: "ROLE_DOES_NOT_FIT_ORG",
      });
    }
    const user = await tx.user.findUnique({ where: { id: parsed.userId } });
    if (!user) throw new AppError("NOT_FOUND", { userMessage: "No such user." });
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.id } } });
    if (existing) return { membership: existing, changed: false };
    const membership = await tx.membership.create({ data: { orgId: org.id, userId: user.id, role } });
    await appendAuditEvent(tx, {
      actor,
      action: "membership.granted",
      subject: { type: "organization", id: org.id },
      state: { userId: user.id, role },
      data: { userId: user.id, role },
    });
    return { membership, changed: true };
  });
}
