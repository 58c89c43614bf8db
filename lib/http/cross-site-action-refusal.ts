import "server-only";
import type { ApiErrorBody } from "@/lib/http/api-route";

const mutatingMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The portal's own origin, as lib/config/env derives it. proxy.ts cannot load
 * lib/config/env (it is server-only, and the proxy is compiled outside the
 * react-server layer), so the two lines that matter are repeated here.
 */
function portalOrigin(): string {
  return new URL(process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).origin;
}

/**
 * apiRoute's Origin rule (checkOrigin in lib/http/api-route.ts), for server
 * actions and any other mutation that reaches a page: an Origin that is not
 * the portal's is refused, and so is a cookie-carrying request without one
 * (a browser sends Origin on every cross-site POST; a machine client carries
 * no session cookie). Next checks only a present Origin against the Host
 * header, and answers a mismatch with a 500. The OIDC endpoints under /oidc/
 * that reach the proxy are posted to by other sites by design (authorize,
 * end-session) or check Origin themselves (the consent decision).
 * Undefined when the request may go on.
 */
export function refusalOfCrossSiteAction(
  req: { method: string; headers: Pick<Headers, "get">; nextUrl: { pathname: string } },
  requestId: string,
): Response | undefined {
  if (!mutatingMethods.has(req.method) || req.nextUrl.pathname.startsWith("/oidc/")) return undefined;
  const origin = req.headers.get("origin");
  if (origin ? origin === portalOrigin() : !req.headers.get("cookie")) return undefined;
  const body: ApiErrorBody = {
    error: {
      code: "BAD_ORIGIN",
      message: origin ? "Cross-site request refused." : "Request without Origin refused.",
    },
  };
  return Response.json(body, { status: 403, headers: { "x-request-id": requestId, "cache-control": "no-store" } });
}
