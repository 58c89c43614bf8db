import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * Remembers that the user agreed to share these scopes with the client. The
 * grant widens to the union of what was agreed before and now; a revoked
 * grant is renewed with only the new scopes.
 */
export async function recordConsent(tx: Tx, p: { userId: string; clientId: string; scopes: string[] }) {
  const existing = await tx.oidcGrant.findUnique({
    where: { userId_clientId: { userId: p.userId, clientId: p.clientId } },
  });
  const scopes = existing && !existing.revokedAt ? [...new Set([...existing.scopes, ...p.scopes])] : p.scopes;
  const grant = existing
    ? await tx.oidcGrant.update({ where: { id: existing.id }, data: { scopes, revokedAt: null } })
    : await tx.oidcGrant.create({ data: { id: newId("grt"), userId: p.userId, clientId: p.clientId, scopes } });
  if (existing) invalidateLocalCaches();
  await appendAuditEvent(tx, {
    actor: { type: "user", id: p.userId },
    action: "oidc_grant.consented",
    subject: { type: "oidc_grant", id: grant.id },
    state: { clientId: p.clientId, scopes },
    data: { clientId: p.clientId, scopes },
  });
  return grant;
}
