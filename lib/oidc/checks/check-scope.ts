import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { InvalidScope } from "@/lib/oidc/errors";
import { isApiScope, isUserScope, parseScope } from "@/lib/oidc/scopes";

/**
 * The scope of an authorization request. Checks: openid is present (this is
 * an OpenID provider; plain OAuth code flows are not offered); every scope we
 * know is one the client registered. A scope we do not know (address, phone,
 * another provider's) is dropped, not refused: OIDC Core §5.4 says scope
 * values an implementation does not understand SHOULD be ignored.
 * offline_access is dropped too for a client without the refresh_token grant
 * (OIDC Core §11), and API scopes are for client_credentials only.
 */
export function checkScope(client: OidcClient, value: string | undefined): string[] {
  const scopes = parseScope(value);
  if (!scopes.includes("openid")) throw new InvalidScope("the openid scope is required");
  const kept: string[] = [];
  for (const s of scopes) {
    if (s === "offline_access" && !client.grantTypes.includes("refresh_token")) continue;
    if (!isUserScope(s) && !isApiScope(s)) continue;
    if (isApiScope(s) || !client.scopes.includes(s))
      throw new InvalidScope(`scope "${s}" is not allowed for this client`);
    kept.push(s);
  }
  return kept;
}
