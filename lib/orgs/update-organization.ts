import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { idSchema, orgNameSchema } from "@/lib/orgs/org-schemas";
import { assertCanManageOrg } from "@/lib/orgs/org-permissions";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors/app-error";

export const updateOrganizationSchema = z.object({ orgId: idSchema, name: orgNameSchema });

/**
 * Renames an organization (its managers and org admins). The slug stays: it
 * is in URLs and may be in issued certificates. The status changes only
 * through setOrganizationStatus.
 */
export async function updateOrganization({
  actor,
  ...input
}: { actor: Actor } & z.input<typeof updateOrganizationSchema>) {
  const { orgId, name } = updateOrganizationSchema.parse(input);
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: orgId } });
    if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
    await assertCanManageOrg(tx, actor, org);
    if (org.name === name) return org;
    const updated = await tx.organization.update({ where: { id: orgId }, data: { name } });
    await appendAuditEvent(tx, {
      actor,
      action: "organization.updated",
      subject: { type: "organization", id: orgId },
      state: { slug: updated.slug, name, kind: updated.kind, status: updated.status },
      data: { name },
    });
    return updated;
  });
}
