import type { OidcClient } from "@/lib/generated/prisma/client";
import { InvalidScope } from "@/lib/oidc/errors";
import { isApiScope, parseScope } from "@/lib/oidc/scopes";

/**
 * The scope of an authorization request. Checks: openid is present (this is
 * an OpenID provider; plain OAuth code flows are not offered); every scope is
 * one the client registered. offline_access is dropped, not refused, for a
 * client without the refresh_token grant (OIDC Core §11), and API scopes are
 * for client_credentials only.
 */
export function checkScope(client: OidcClient, value: string | undefined): string[] {
  const scopes = parseScope(value);
  if (!scopes.includes("openid")) throw new InvalidScope("the openid scope is required");
  const kept: string[] = [];
  for (const s of scopes) {
    if (s === "offline_access" && !client.grantTypes.includes("refresh_token")) continue;
    if (isApiScope(s) || !client.scopes.includes(s))
      throw new InvalidScope(`scope "${s}" is not allowed for this client`);
    kept.push(s);
  }
  return kept;
}
