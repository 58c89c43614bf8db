import "server-only";
import { ZodError } from "zod";
import { apiRoute, logApiRequest } from "@/lib/http/api-route";
import { requestContextFromHeaders, runWithRequestContext, type RequestContext } from "@/lib/http/request-context";
import {
  plainAnswerResponse,
  plainAnswerRoute,
  type PlainAnswer,
  type PlainAnswerHandler,
  type PlainRequest,
} from "@/lib/http/serve-route-handler-like-next";
import { log } from "@/lib/log";
import { isClientAbort } from "@/lib/http/is-client-abort";
import { assertCleanQuery, isMalformedInput } from "@/lib/http/untrusted-text";
import { InvalidRequest, isOAuthError, OAuthError, ServerError } from "@/lib/oidc/errors";
import { isAppError } from "@/lib/errors/app-error";
import { assertBodyWithin } from "@/lib/http/bounded-body";
import { limits } from "@/lib/config/limits";
import { DPOP_SIGNING_ALGS } from "@/lib/oidc/checks/check-dpop-proof";

/** CORS for endpoints that browser-based relying parties call directly (token, userinfo, discovery, JWKS). */
export const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, dpop",
  "access-control-max-age": "600",
} as const;

type OAuthRouteOptions = {
  /** Adds CORS headers and answers preflight. */
  cors?: boolean;
  /** The WWW-Authenticate realm scheme for 401/403 answers: "Basic" at the token endpoint, "Bearer" at userinfo. */
  challenge?: "Basic" | "Bearer";
};

/** A JSON answer that must never be cached (tokens, userinfo, introspection, errors). */
export function jsonAnswer(body: unknown, status = 200): PlainAnswer {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" },
    body: JSON.stringify(body),
  };
}

/** The standard error body (RFC 6749 §5.2), never cached, with the challenge of a 401 or 403. */
function oauthErrorAnswer(e: OAuthError, opts: OAuthRouteOptions): PlainAnswer {
  const answer = jsonAnswer({ error: e.error, error_description: e.description }, e.status);
  if (e.status === 401 || e.status === 403) {
    const scheme = e.challenge ?? opts.challenge ?? "Bearer";
    const detail = `error="${e.error}", error_description="${e.description.replace(/["\\]/g, "")}"`;
    const realm =
      scheme === "Basic"
        ? `Basic realm="guildhall"`
        : scheme === "DPoP"
          ? `DPoP realm="guildhall", ${detail}, algs="${DPOP_SIGNING_ALGS.join(" ")}"`
          : `Bearer realm="guildhall", ${detail}`;
    answer.headers["www-authenticate"] =
      scheme === "Bearer" && "scope" in e ? `${realm}, scope="${String(e.scope)}"` : realm;
  }
  if (opts.cors) Object.assign(answer.headers, corsHeaders);
  return answer;
}

function toOAuthError(e: unknown, request: RequestContext): OAuthError {
  if (isOAuthError(e)) return e;
  // The edge readers' refusals (lib/http/untrusted-text) speak the API's shape; here they are invalid_request.
  if (isMalformedInput(e)) return new InvalidRequest(e.userMessage);
  // apiRoute's bound on the body (lib/http/bounded-body.ts): invalid_request, with HTTP's own status for it.
  if (isAppError(e) && e.code === "PAYLOAD_TOO_LARGE") return new OAuthError("invalid_request", e.userMessage, 413);
  if (e instanceof ZodError) {
    const issue = e.issues[0];
    return new InvalidRequest(`${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  // A client that hung up mid-body: logged as a refusal (info), not as our failure; nobody reads the answer.
  if (isClientAbort(e)) return new InvalidRequest("the request was not received whole");
  log.error(
    { requestId: request.requestId, err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) },
    "oidc endpoint failed",
  );
  return new ServerError(`unexpected error (request ${request.requestId})`);
}

/** What a thrown value becomes at an OIDC endpoint: its OAuth error answer, logged. */
function refusalOf(e: unknown, request: RequestContext, opts: OAuthRouteOptions): PlainAnswer {
  const err = toOAuthError(e, request);
  if (err.status < 500)
    log.info(
      { requestId: request.requestId, error: err.error, description: err.description, detail: err.detail },
      "oidc request refused",
    );
  return oauthErrorAnswer(err, opts);
}

/**
 * A route handler of an OIDC endpoint: apiRoute's request id and context, no
 * Origin check (relying parties call from their own origins), and errors in
 * the OAuth format only. For endpoints that answer redirects, pages or
 * streams; those that answer JSON use oauthEndpoint.
 */
export function oauthRoute(
  handler: (req: Request, ctx: { request: RequestContext }) => Promise<Response>,
  opts: OAuthRouteOptions = {},
) {
  return apiRoute(
    async (req, { request }) => {
      const res = await handler(req, { request });
      if (opts.cors) for (const [k, v] of Object.entries(corsHeaders)) res.headers.set(k, v);
      return res;
    },
    { crossOrigin: true, refuse: (e, request) => plainAnswerResponse(refusalOf(e, request, opts)) },
  );
}

/** apiRoute's `refuse` for OIDC routes that answer pages or redirects but refuse malformed input in OAuth's shape. */
export function oauthRefusal(e: unknown, request: RequestContext): Response {
  return plainAnswerResponse(refusalOf(e, request, {}));
}

/**
 * An OIDC endpoint that answers JSON, as a plain handler (no WHATWG Request
 * or Response of its own): what oauthRoute does, around it. Next runs it as a
 * route handler; the protocol fast lane runs its `answer` directly. The
 * handler reads only what PlainRequest offers, which Next's Request also has.
 */
export function oauthEndpoint(
  handler: (req: PlainRequest, ctx: { request: RequestContext }) => Promise<PlainAnswer>,
  opts: OAuthRouteOptions = {},
): PlainAnswerHandler {
  return plainAnswerRoute(async (req) => {
    const started = performance.now();
    const request = requestContextFromHeaders(req.headers);
    return runWithRequestContext(request, async () => {
      let answer: PlainAnswer;
      try {
        // Under Next the request is a WHATWG Request; the fast lane's plain request bounds its own body.
        if (req instanceof Request) await assertBodyWithin(req, limits.body.defaultBytes);
        answer = await handler(req, { request });
        if (opts.cors) Object.assign(answer.headers, corsHeaders);
      } catch (e) {
        answer = refusalOf(e, request, opts);
      }
      answer.headers["x-request-id"] = request.requestId;
      logApiRequest(req, answer.status, started, request);
      return answer;
    });
  });
}

/** Answers a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: corsHeaders });
}

/** jsonAnswer as a Response. */
export function jsonNoStore(body: unknown, status = 200): Response {
  return plainAnswerResponse(jsonAnswer(body, status));
}

function refuseMalformedQuery(query: string): void {
  try {
    assertCleanQuery(query);
  } catch (e) {
    throw isMalformedInput(e) ? new InvalidRequest(e.userMessage) : e;
  }
}

/**
 * The parameters of a form-encoded POST (or the query of a GET). A parameter
 * given twice is refused, as RFC 6749 §3.1 requires; so is one that
 * assertCleanQuery refuses (a NUL byte, a lone surrogate, a malformed escape).
 */
export async function readParams(req: PlainRequest): Promise<Record<string, string>> {
  let source: URLSearchParams;
  if (req.method === "GET") {
    refuseMalformedQuery(new URL(req.url).search.slice(1));
    source = new URL(req.url).searchParams;
  } else {
    const type = req.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
      throw new InvalidRequest("the body must be application/x-www-form-urlencoded");
    const body = await req.text();
    refuseMalformedQuery(body);
    source = new URLSearchParams(body);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of source) {
    if (k in out) throw new InvalidRequest(`parameter "${k}" is repeated`);
    if (v !== "") out[k] = v;
  }
  return out;
}
