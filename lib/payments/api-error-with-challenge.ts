import { errorToResponse } from "@/lib/http/api-route";
import type { RequestContext } from "@/lib/http/request-context";
import { isAppError } from "@/lib/errors/app-error";
import { bearerChallenge } from "@/lib/payments/authenticate-api-client";

/** The usual error response, plus the WWW-Authenticate challenge RFC 6750 asks for on 401 and 403. */
export function apiErrorWithChallenge(e: unknown, request: RequestContext, scope: string): Response {
  const res = errorToResponse(e, request);
  const challenge = bearerChallenge(res.status, isAppError(e) ? e.reason : undefined, scope);
  if (challenge) res.headers.set("www-authenticate", challenge);
  return res;
}
