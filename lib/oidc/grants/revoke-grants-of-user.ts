import "server-only";
import type { Tx } from "@/lib/db/client";
import type { CredentialRevoker } from "@/lib/access/credential-revokers";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

/**
 * A disabled user's OpenID grants are revoked with every token issued for
 * them (access and refresh, under a grant or not), as if they had withdrawn
 * consent from each client: no client can act for them afterwards, even if
 * the account is enabled again.
 */
async function revokeGrantsOfUser(tx: Tx, userId: string): Promise<number> {
  const now = new Date();
  const { count } = await tx.oidcGrant.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await tx.oidcToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  invalidateLocalCaches();
  return count;
}

export const oidcGrantsRevoker: CredentialRevoker = { kind: "oidcGrants", revoke: revokeGrantsOfUser };
