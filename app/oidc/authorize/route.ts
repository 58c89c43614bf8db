import { apiRoute, errorToResponse } from "@/lib/http/api-route";
import { isMalformedInput } from "@/lib/http/untrusted-text";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { readParams } from "@/lib/oidc/http/oauth-route";
import {
  parseAuthorizationRequest,
  RedirectableError,
  UntrustedRequestError,
} from "@/lib/oidc/authorize/authorization-request";
import { authorizationError, untrustedRequestPage } from "@/lib/oidc/authorize/authorization-response";
import { runAuthorization } from "@/lib/oidc/authorize/run-authorization";
import { isOAuthError } from "@/lib/oidc/errors";

/**
 * The authorization endpoint, GET and POST (OIDC Core §3.1.2.1). Errors go
 * back to the client only once the client and redirect URI are trusted;
 * before that they are shown here.
 */
const handler = apiRoute(
  async (req) => {
    try {
      const params = await readParams(req);
      const { request } = await parseAuthorizationRequest(params);
      return await runAuthorization({ state: { request }, session: await getCurrentSession() });
    } catch (e) {
      if (e instanceof UntrustedRequestError) return untrustedRequestPage(e.description);
      if (e instanceof RedirectableError) return authorizationError(e.target, e.cause);
      if (isOAuthError(e)) return untrustedRequestPage(e.description);
      throw e;
    }
  },
  {
    crossOrigin: true,
    // A query the edge refuses (a NUL byte, a malformed escape) comes from no trusted client: shown here.
    refuse: (e, request) => (isMalformedInput(e) ? untrustedRequestPage(e.userMessage) : errorToResponse(e, request)),
  },
);

export const GET = handler;
export const POST = handler;
