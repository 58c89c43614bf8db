import "server-only";
import { jsonAnswer, oauthEndpoint, readParams } from "@/lib/oidc/http/oauth-route";
import { pushAuthorizationRequest } from "@/lib/oidc/authorize/push-authorization-request";

/**
 * The pushed authorization request endpoint, `/oidc/par` (RFC 9126):
 * form-encoded POST by an authenticated client, answered 201 with a
 * request_uri, never cached.
 */
export const POST = oauthEndpoint(
  async (req) => jsonAnswer(await pushAuthorizationRequest(req, await readParams(req)), 201),
  { challenge: "Basic" },
);
