import { NextResponse, type NextRequest } from "next/server";
import { refusalOfPageRequest } from "@/lib/http/page-request-refusal";

/**
 * Runs before every page and server action: refuses a request the edge
 * checks refuse (lib/http/page-request-refusal.ts), then gives it an id
 * before anything else runs, so that pages, server actions, route handlers
 * and the audit events they write all carry the same one; a caller's own
 * x-request-id is kept when it looks like one.
 */
export function proxy(req: NextRequest) {
  const incoming = req.headers.get("x-request-id");
  const requestId =
    incoming && /^[A-Za-z0-9_-]{8,64}$/.test(incoming)
      ? incoming
      : `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const refusal = refusalOfPageRequest(req, requestId);
  if (refusal) return refusal;
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-request-id", requestId);
  return res;
}

// Pages and server actions only: route handlers under /api, /oidc, /federation
// and /.well-known make their request id in apiRoute/oauthRoute, and skipping the
// proxy there keeps the protocol endpoints' hot path short.
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|api/|oidc/(?:token|userinfo|jwks|introspect|revoke|register)|\\.well-known/|federation/|ca/|certificate-status/).*)",
  ],
};
