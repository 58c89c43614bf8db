import "server-only";
import { errorToResponse } from "@/lib/http/api-route";
import type { RequestContext } from "@/lib/http/request-context";
import { apiTokenChallenge } from "@/lib/payments/authenticate-api-client";

/** The usual error response, plus the WWW-Authenticate challenge RFC 6750 and RFC 9449 ask for on 401 and 403. */
export function apiErrorWithChallenge(e: unknown, request: RequestContext, scope?: string): Response {
  const res = errorToResponse(e, request);
  const challenge = apiTokenChallenge(res.status, e, scope);
  if (challenge) res.headers.set("www-authenticate", challenge);
  return res;
}
