import { endpoint, issuer } from "@/lib/oidc/config";
import { InvalidRequest, UnsupportedGrantType } from "@/lib/oidc/errors";
import { authenticateClient } from "@/lib/oidc/clients/authenticate-client";
import { grantClientCredentials } from "@/lib/oidc/tokens/grant-client-credentials";
import { grantAuthorizationCode } from "@/lib/oidc/tokens/grant-authorization-code";
import { grantRefreshToken } from "@/lib/oidc/tokens/grant-refresh-token";

const grants = {
  authorization_code: grantAuthorizationCode,
  refresh_token: grantRefreshToken,
  client_credentials: grantClientCredentials,
} as const;

/**
 * The token endpoint (RFC 6749 §3.2): the grant type is checked first, so an
 * unsupported one is named as such, then the client authenticates, then the
 * grant's own checks run.
 */
export async function handleTokenRequest(
  req: { headers: Pick<Headers, "get"> },
  params: Record<string, string>,
): Promise<Record<string, string | number>> {
  const grantType = params.grant_type;
  if (!grantType) throw new InvalidRequest("grant_type is missing");
  if (!Object.hasOwn(grants, grantType)) throw new UnsupportedGrantType();
  const client = await authenticateClient(req, params, [issuer(), endpoint("token")]);
  return grants[grantType as keyof typeof grants](client, params);
}
