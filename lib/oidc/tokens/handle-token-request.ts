import "server-only";
import { endpoint, issuer } from "@/lib/oidc/config";
import { InvalidDpopProof, InvalidRequest, UnsupportedGrantType } from "@/lib/oidc/errors";
import { checkDpopProof, dpopHeaderOf } from "@/lib/oidc/checks/check-dpop-proof";
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
 * unsupported one is named as such, then the client authenticates, then a
 * DPoP proof, if any, is checked (RFC 9449 §5; required of a client
 * registered with dpop_bound_access_tokens), then the grant's own checks run.
 */
export async function handleTokenRequest(
  req: { headers: Pick<Headers, "get"> },
  params: Record<string, string>,
): Promise<Record<string, string | number>> {
  const grantType = params.grant_type;
  if (!grantType) throw new InvalidRequest("grant_type is missing");
  if (!Object.hasOwn(grants, grantType)) throw new UnsupportedGrantType();
  const client = await authenticateClient(req, params, [issuer(), endpoint("token")]);
  const proof = dpopHeaderOf(req.headers);
  if (!proof && client.dpopBoundAccessTokens)
    throw new InvalidDpopProof("this client's tokens are DPoP-bound: send a DPoP proof");
  const dpop = proof ? { jkt: await checkDpopProof(proof, { method: "POST", url: endpoint("token") }) } : {};
  return grants[grantType as keyof typeof grants](client, params, dpop);
}
