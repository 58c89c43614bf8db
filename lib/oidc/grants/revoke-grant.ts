import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * The user withdraws their consent to a client (from /account/apps): the grant
 * is revoked with every token issued under it, so the client's refresh tokens
 * and access tokens stop working at once. Only the grant's own user may.
 */
export async function revokeGrant(p: { userId: string; grantId: string }) {
  return db().$transaction(async (tx) => {
    const grant = await tx.oidcGrant.findUnique({ where: { id: p.grantId } });
    if (!grant || grant.userId !== p.userId) throw new AppError("NOT_FOUND", { userMessage: "No such connected app." });
    if (grant.revokedAt) return grant;
    const now = new Date();
    const updated = await tx.oidcGrant.update({ where: { id: grant.id }, data: { revokedAt: now } });
    const { count } = await tx.oidcToken.updateMany({
      where: { grantId: grant.id, revokedAt: null },
      data: { revokedAt: now },
    });
    invalidateLocalCaches();
    await appendAuditEvent(tx, {
      actor: { type: "user", id: p.userId },
      action: "oidc_grant.revoked",
      subject: { type: "oidc_grant", id: grant.id },
      state: { clientId: grant.clientId, revokedAt: now },
      data: { clientId: grant.clientId, tokensRevoked: count },
    });
    return updated;
  });
}
