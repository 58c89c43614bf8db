import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { InvalidScope, UnauthorizedClient } from "@/lib/oidc/errors";
import { isApiScope, parseScope } from "@/lib/oidc/scopes";
import { issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import type { DpopBinding } from "@/lib/oidc/tokens/dpop-binding";

/**
 * client_credentials (RFC 6749 §4.4), for host-to-portal calls. Checks:
 * - the client registered this grant;
 * - every requested scope is an API scope the client registered (user scopes
 *   such as openid mean nothing without a user and are refused);
 * - no scope asked: all the client's API scopes.
 * With a DPoP proof, the token is bound to its key (RFC 9449 §5).
 */
export async function grantClientCredentials(
  client: OidcClient,
  params: Record<string, string>,
  dpop: DpopBinding = {},
) {
  if (!client.grantTypes.includes("client_credentials"))
    throw new UnauthorizedClient("the client may not use client_credentials");
  const allowed = client.scopes.filter(isApiScope);
  const requested = params.scope === undefined ? allowed : parseScope(params.scope);
  for (const s of requested)
    if (!allowed.includes(s)) throw new InvalidScope(`scope "${s}" is not allowed for this client`);
  const { token, expiresIn, tokenType } = await issueAccessToken({
    clientId: client.id,
    sub: client.id,
    scopes: requested,
    dpopJkt: dpop.jkt,
  });
  return { access_token: token, token_type: tokenType, expires_in: expiresIn, scope: requested.join(" ") };
}
