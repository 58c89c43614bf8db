import { endpoint, issuer } from "@/lib/oidc/config";
import { InvalidRequest } from "@/lib/oidc/errors";
import { authenticateClient } from "@/lib/oidc/clients/authenticate-client";
import { oauthRoute, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import { revokeToken } from "@/lib/oidc/tokens/revoke-token";

/** Token revocation (RFC 7009): 200 with an empty body, whatever the token was. */
export const POST = oauthRoute(
  async (req) => {
    const params = await readParams(req);
    const client = await authenticateClient(req, params, [issuer(), endpoint("revocation"), endpoint("token")]);
    if (!params.token) throw new InvalidRequest("token is missing");
    await revokeToken(client, params.token);
    return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
  },
  { cors: true, challenge: "Basic" },
);
export const OPTIONS = preflight;
