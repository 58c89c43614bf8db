import { db } from "@/lib/db/client";
import { InsufficientScope, InvalidToken } from "@/lib/oidc/errors";
import { collectClaims } from "@/lib/oidc/claims/claim-sources";
import { verifyAccessTokenRecord } from "@/lib/oidc/verify-access-token";

/**
 * The UserInfo response (OIDC Core §5.3). Checks: the access token verifies
 * and is live, it was issued for a user with the openid scope, the user is not
 * disabled and the consent is still in force. The claims are those the
 * token's scopes release, and `sub` is the one the client knows.
 */
export async function getUserinfo(accessToken: string) {
  const record = await verifyAccessTokenRecord(accessToken);
  if (!record.userId || !record.sub) throw new InvalidToken("the access token is not for a user");
  if (!record.scope.includes("openid")) throw new InsufficientScope("openid");
  const userId = record.userId;
  const grant = record.grantId ? await db().oidcGrant.findUnique({ where: { id: record.grantId }, select: { revokedAt: true } }) : null;
  if (!grant || grant.revokedAt) throw new InvalidToken("the grant was revoked");
  const claims = await collectClaims({ userId, clientId: record.clientId, scopes: record.scope });
  return { sub: record.sub, ...claims };
}
