import "server-only";
import { db } from "@/lib/db/client";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { findToken } from "@/lib/oidc/tokens/find-token";
import { revokeTokenFamily } from "@/lib/oidc/tokens/issue-user-tokens";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * Token revocation (RFC 7009). Revoking a refresh token revokes its whole
 * family (the access tokens issued with it too, §2.1). A token that is
 * unknown, already revoked or another client's is answered the same way, with
 * success, so the endpoint tells a caller nothing about tokens it does not own.
 */
export async function revokeToken(client: OidcClient, token: string): Promise<void> {
  const record = await findToken(token);
  if (!record || record.clientId !== client.id || record.revokedAt) return;
  if (record.kind === "refresh" && record.familyId) await revokeTokenFamily(record.familyId);
  else await db().oidcToken.updateMany({ where: { id: record.id, revokedAt: null }, data: { revokedAt: new Date() } });
  invalidateLocalCaches();
}
