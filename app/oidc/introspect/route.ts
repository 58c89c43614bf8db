import { endpoint, issuer } from "@/lib/oidc/config";
import { InvalidRequest } from "@/lib/oidc/errors";
import { authenticateClient } from "@/lib/oidc/clients/authenticate-client";
import { jsonNoStore, oauthRoute, readParams } from "@/lib/oidc/http/oauth-route";
import { introspectToken } from "@/lib/oidc/tokens/introspect-token";

/** Token introspection (RFC 7662) for authenticated clients. */
export const POST = oauthRoute(
  async (req) => {
    const params = await readParams(req);
    const client = await authenticateClient(req, params, [issuer(), endpoint("introspection"), endpoint("token")]);
    if (client.tokenEndpointAuthMethod === "none") throw new InvalidRequest("public clients cannot introspect");
    if (!params.token) throw new InvalidRequest("token is missing");
    return jsonNoStore(await introspectToken(client, params.token));
  },
  { challenge: "Basic" },
);
