import "server-only";
import { ZodError, type z } from "zod";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { describeValidationIssue } from "@/lib/errors/describe-validation-issue";
import { log } from "@/lib/log";
import { isDatabaseUnavailable } from "@/lib/db/is-database-unavailable";
import { env } from "@/lib/config/env";
import { isClientAbort } from "@/lib/http/is-client-abort";
import { assertCleanPath, assertCleanUrlQuery } from "@/lib/http/untrusted-text";
import { requestContextFromHeaders, runWithRequestContext, type RequestContext } from "@/lib/http/request-context";
import { assertBodyWithin } from "@/lib/http/bounded-body";
import { limits } from "@/lib/config/limits";

export type ApiErrorBody = { error: { code: string; message: string; reason?: string } };

/** Turns any thrown value into the one error shape of the API. */
export function errorToResponse(e: unknown, ctx: RequestContext): Response {
  const headers = { "x-request-id": ctx.requestId, "cache-control": "no-store" };
  if (e instanceof ZodError) {
    // The message is for the person at the form; the field's path stays in `reason` for a program.
    const issue = e.issues[0];
    const reason = issue.path.length ? issue.path.join(".") : undefined;
    return Response.json(
      {
        error: { code: "VALIDATION_FAILED", message: describeValidationIssue(issue), ...(reason ? { reason } : {}) },
      } satisfies ApiErrorBody,
      { status: 400, headers },
    );
  }
  if (isAppError(e)) {
    if (e.statusCode >= 500) log.error({ requestId: ctx.requestId, code: e.code, err: e.message }, "request failed");
    else log.info({ requestId: ctx.requestId, code: e.code, reason: e.reason }, "request refused");
    const body: ApiErrorBody = {
      error: { code: e.code, message: e.userMessage, ...(e.reason ? { reason: e.reason } : {}) },
    };
    return Response.json(body, { status: e.statusCode, headers });
  }
  if (isDatabaseUnavailable(e)) {
    // A failover or a restart of the database, not a fault of this request: the client may try again.
    log.warn({ requestId: ctx.requestId, err: e instanceof Error ? e.message : String(e) }, "database unavailable");
    const body: ApiErrorBody = {
      error: {
        code: "UNAVAILABLE",
        message:
          "The database is unavailable for a moment. Try again; a request with an Idempotency-Key is safe to repeat.",
        reason: "DATABASE_UNAVAILABLE",
      },
    };
    return Response.json(body, { status: 503, headers: { ...headers, "retry-after": "2" } });
  }
  if (isClientAbort(e)) {
    // Nobody is left to read the answer; the status is for the access log.
    log.info({ requestId: ctx.requestId }, "client went away before its request was read");
    return new Response(null, { status: 499, headers });
  }
  log.error(
    { requestId: ctx.requestId, err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) },
    "unhandled error",
  );
  return Response.json(
    { error: { code: "INTERNAL", message: `Something went wrong (request ${ctx.requestId}).` } } satisfies ApiErrorBody,
    { status: 500, headers },
  );
}

const mutatingMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses a mutation from another site. A browser always sends Origin on a
 * cross-site POST; machine clients send none and carry no session cookie, so
 * a missing Origin is refused only when the request carries cookies.
 */
export function checkOrigin(req: Request): void {
  if (!mutatingMethods.has(req.method)) return;
  const origin = req.headers.get("origin");
  const allowed = new URL(env().publicUrl).origin;
  if (origin) {
    if (origin !== allowed)
      throw new AppError("BAD_ORIGIN", {
        message: `Origin ${origin} is not ${allowed}`,
        userMessage: "Cross-site request refused.",
      });
    return;
  }
  if (req.headers.get("cookie")) throw new AppError("BAD_ORIGIN", { userMessage: "Request without Origin refused." });
}

/** One access-log line per API request: no query string, which may carry codes or tokens. */
export function logApiRequest(
  request: { method: string; url: string },
  status: number,
  started: number,
  ctx: RequestContext,
): void {
  // Parsing the URL costs more than the discovery endpoint's own work; skip it when the line would be dropped.
  if (!log.isLevelEnabled("info")) return;
  log.info(
    {
      requestId: ctx.requestId,
      method: request.method,
      path: new URL(request.url, "http://path.only").pathname,
      status,
      ms: Math.round(performance.now() - started),
    },
    "api request",
  );
}

/**
 * The URL's share of the edge checks, for every route: a query or a path
 * segment that assertCleanQuery or assertCleanPath refuses is a 400 before
 * the handler reads it.
 */
function refuseUntrustedUrl(url: string, params: unknown): void {
  assertCleanUrlQuery(url);
  assertCleanPath(params);
}

type RouteOptions = {
  /** Endpoints that other sites call by design (OIDC, webhooks) skip the Origin check. */
  crossOrigin?: boolean;
  /** The largest body this route takes (limits.body.defaultBytes unless set); a larger one is a 413. */
  maxBodyBytes?: number;
  /** How a refusal is answered, when not in the API's error shape (OIDC endpoints answer OAuth errors). */
  refuse?: (e: unknown, request: RequestContext) => Response;
};

/**
 * Tags a response with the request id. Response.redirect() and fetched
 * responses have immutable headers, so those are copied first.
 */
function withRequestId(res: Response, requestId: string): Response {
  try {
    res.headers.set("x-request-id", requestId);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set("x-request-id", requestId);
    return copy;
  }
}

type RouteHandler<P> = (req: Request, ctx: { params: P; request: RequestContext }) => Promise<Response>;
type NextRouteHandler = (req: Request, routeCtx: { params: Promise<unknown> }) => Promise<Response>;

/**
 * Wraps a route handler: request id, Origin check on mutations, the edge
 * checks of the URL, the path parameters parsed with the route's declared
 * schema (`params`, the one its operation names in app/api/api-registry.ts:
 * a value it refuses is a 400 VALIDATION_FAILED before the handler runs), a
 * bound on the body's size, and one place where errors become responses.
 * Routes outside the API registry (pages' files, the log's tiles) may name
 * their parameters' type instead, and read them themselves.
 */
export function apiRoute<S extends z.ZodObject>(
  handler: RouteHandler<z.output<S>>,
  opts: RouteOptions & { params: S },
): NextRouteHandler;
export function apiRoute<P = unknown>(handler: RouteHandler<P>, opts?: RouteOptions): NextRouteHandler;
export function apiRoute(
  handler: RouteHandler<unknown>,
  opts: RouteOptions & { params?: z.ZodObject } = {},
): NextRouteHandler {
  return async (req, routeCtx) => {
    const started = performance.now();
    const request = requestContextFromHeaders(req.headers);
    return runWithRequestContext(request, async () => {
      try {
        if (!opts.crossOrigin) checkOrigin(req);
        const raw = routeCtx?.params ? await routeCtx.params : {};
        refuseUntrustedUrl(req.url, raw);
        const params = opts.params ? opts.params.parse(raw) : raw;
        await assertBodyWithin(req, opts.maxBodyBytes ?? limits.body.defaultBytes);
        const res = withRequestId(await handler(req, { params, request }), request.requestId);
        logApiRequest(req, res.status, started, request);
        return res;
      } catch (e) {
        const res = withRequestId((opts.refuse ?? errorToResponse)(e, request), request.requestId);
        logApiRequest(req, res.status, started, request);
        return res;
      }
    });
  };
}

export { readJson } from "@/lib/http/read-json";
