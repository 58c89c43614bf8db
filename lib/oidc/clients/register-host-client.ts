import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { createClient } from "@/lib/oidc/clients/create-client";
import type { ClientMetadataInput } from "@/lib/oidc/clients/client-metadata";
import { mailAdminsClientAwaitsApproval } from "@/lib/oidc/clients/mail-admins-client-awaits-approval";

/**
 * A host operator registers a client for their host from the portal. It
 * waits for an org admin's approval before it works, and the org admins are
 * mailed that it waits. Only the host's operators may.
 */
export async function registerHostClient(p: { actor: Actor; hostOrgId: string; metadata: ClientMetadataInput }) {
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, p.actor, { membership: "HOST_OPERATOR", orgId: p.hostOrgId });
    const org = await tx.organization.findUnique({ where: { id: p.hostOrgId }, select: { kind: true, status: true } });
    if (org?.kind !== "HOST") throw new AppError("NOT_FOUND", { userMessage: "No such host." });
    if (org.status !== "ACTIVE")
      throw new AppError("CONFLICT", { userMessage: "This host is not active.", reason: "HOST_NOT_ACTIVE" });
    const made = await createClient(tx, {
      metadata: p.metadata,
      hostOrgId: p.hostOrgId,
      status: "pending",
      actor: p.actor,
      via: "portal",
    });
    await mailAdminsClientAwaitsApproval(tx, { ...made.client, hostOrgId: p.hostOrgId });
    return made;
  });
}
