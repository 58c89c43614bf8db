import "server-only";
import { InsufficientScope, InvalidToken } from "@/lib/oidc/errors";
import { collectClaims } from "@/lib/oidc/claims/claim-sources";
import { verifyPresentedAccessToken } from "@/lib/oidc/verify-access-token";
import type { TokenPresentation } from "@/lib/oidc/checks/check-token-binding";

/**
 * The UserInfo response (OIDC Core §5.3). Checks (through
 * verifyPresentedAccessToken, as every resource does): the access token
 * verifies and is live, the consent stands, the user is not disabled; a
 * DPoP-bound token comes with a proof by its key; then that it was issued for a
 * user with the openid scope. The claims are those the token's scopes
 * release, and `sub` is the one the client knows.
 */
export async function getUserinfo(accessToken: string, presentation: TokenPresentation = { scheme: "bearer" }) {
  const record = await verifyPresentedAccessToken(accessToken, presentation);
  if (!record.user || !record.sub) throw new InvalidToken("the access token is not for a user");
  if (!record.scope.includes("openid")) throw new InsufficientScope("openid");
  const claims = await collectClaims(
    { userId: record.user.id, clientId: record.clientId, scopes: record.scope },
    record.user,
  );
  return { sub: record.sub, ...claims };
}
