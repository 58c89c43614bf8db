import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { orgStatusSchema } from "@/lib/orgs/org-schemas";
import type { OrgStatus } from "@/lib/generated/prisma/client";

/**
 * Moves an organization to ACTIVE, PENDING or SUSPENDED inside the caller's
 * transaction. Permission is the caller's: governance calls this when a vote
 * admits a host, so the outcome and the status change commit together.
 * Setting the status it already has changes nothing and records nothing.
 */
export async function setOrganizationStatus(
  tx: Tx,
  { orgId, status, actor }: { orgId: string; status: OrgStatus; actor: Actor },
) {
  const next = orgStatusSchema.parse(status);
  const org = await tx.organization.findUnique({ where: { id: orgId } });
  if (!org) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
  if (org.status === next) return org;
  const updated = await tx.organization.update({ where: { id: orgId }, data: { status: next } });
  await appendAuditEvent(tx, {
    actor,
    action: "organization.status_changed",
    subject: { type: "organization", id: orgId },
    state: { slug: updated.slug, name: updated.name, kind: updated.kind, status: next },
    data: { from: org.status, to: next },
  });
  return updated;
}
