import "server-only";
import type { PlainRequest } from "@/lib/http/serve-route-handler-like-next";
import { endpoint, issuer } from "@/lib/oidc/config";
import { InvalidRequest } from "@/lib/oidc/errors";
import { authenticateClient } from "@/lib/oidc/clients/authenticate-client";
import {
  parseAuthorizationRequest,
  RedirectableError,
  UntrustedRequestError,
} from "@/lib/oidc/authorize/authorization-request";
import { savePushedRequest } from "@/lib/oidc/authorize/pushed-requests";

// Client authentication travels with the push; it is no part of the authorization request kept for the browser.
const CLIENT_AUTH_PARAMS = ["client_secret", "client_assertion", "client_assertion_type"];

/**
 * A pushed authorization request (RFC 9126 §2). Checks:
 * - the client authenticates as it does at the token endpoint (its registered
 *   method; an assertion may name the issuer, the token or the PAR endpoint);
 * - the request carries no request_uri (§2.1);
 * - client_id, when given, is the authenticated client (authenticateClient);
 * - a signed request object (RFC 9101) in it verifies; its parameters are
 *   what is kept;
 * - the request passes every check of the authorization endpoint, so a bad
 *   one is refused now, to the client, in JSON, rather than on the user's
 *   screen. Only then is it kept, and its single-use request_uri answered.
 */
export async function pushAuthorizationRequest(req: PlainRequest, params: Record<string, string>) {
  const client = await authenticateClient(req, params, [
    issuer(),
    endpoint("token"),
    endpoint("pushedAuthorizationRequest"),
  ]);
  if (params.request_uri !== undefined) throw new InvalidRequest("request_uri cannot be pushed (RFC 9126 §2.1)");
  const authorization: Record<string, string> = { client_id: client.id };
  for (const [k, v] of Object.entries(params)) if (!CLIENT_AUTH_PARAMS.includes(k)) authorization[k] = v;
  let parsed: Awaited<ReturnType<typeof parseAuthorizationRequest>>;
  try {
    parsed = await parseAuthorizationRequest(authorization, "push");
  } catch (e) {
    if (e instanceof RedirectableError) throw e.cause;
    if (e instanceof UntrustedRequestError) throw new InvalidRequest(e.description);
    throw e;
  }
  // A signed request object was verified (and its jti used up) here: what is kept is the parameters it carried.
  return savePushedRequest({
    clientId: client.id,
    params: parsed.params,
    signedRequestObject: parsed.signedRequestObject,
  });
}
