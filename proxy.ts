import { NextResponse, type NextRequest } from "next/server";
import { refusalOfPageRequest } from "@/lib/http/page-request-refusal";
import { refusalOfCrossSiteAction } from "@/lib/http/cross-site-action-refusal";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";

/**
 * Runs before every page and server action:
 * - gives the request an id before anything else runs, so that pages, server
 *   actions, route handlers and the audit events they write all carry the
 *   same one (a caller's own x-request-id is kept when it looks like one);
 * - refuses a malformed path or query (lib/http/page-request-refusal.ts) and
 *   a cross-site mutation (lib/http/cross-site-action-refusal.ts);
 * - makes this request's script nonce and its Content-Security-Policy: on the
 *   request, where Next reads the nonce for its own scripts, and on the answer.
 */
export function proxy(req: NextRequest) {
  const incoming = req.headers.get("x-request-id");
  const requestId =
    incoming && /^[A-Za-z0-9_-]{8,64}$/.test(incoming)
      ? incoming
      : `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const refusal = refusalOfPageRequest(req, requestId) ?? refusalOfCrossSiteAction(req, requestId);
  if (refusal) return refusal;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageContentSecurityPolicy(nonce, req.nextUrl.pathname);
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-request-id", requestId);
  res.headers.set("content-security-policy", csp);
  return res;
}

// Pages and server actions only: route handlers under /api, /oidc, /federation, /log's files and
// /.well-known make their request id in apiRoute/oauthRoute, and skipping the
// proxy there keeps the protocol endpoints' hot path short.
export const config = {
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|api/|oidc/(?:token|userinfo|jwks|introspect|revoke|register)|\\.well-known/|federation/|ca/|certificate-status/|log/(?:checkpoint|key|tile/)).*)",
  ],
};
