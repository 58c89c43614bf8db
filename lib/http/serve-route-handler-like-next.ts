import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/log";
import { securityHeaders } from "@/lib/http/security-headers";
import { logApiRequest } from "@/lib/http/api-route";
import { requestIdFrom } from "@/lib/http/request-context";
import { stampPeerAddress } from "@/lib/http/peer-address";
import { clientAbortError, isClientAbort } from "@/lib/http/is-client-abort";

/** An App Router route handler, as app/**\/route.ts exports it. */
export type RouteHandler = (
  req: Request,
  ctx: { params: Promise<Record<string, never>> },
) => Response | Promise<Response>;

/** A document served as is, the same to every caller, with its own headers (OpenID Provider metadata, a JWKS). */
export type PublicDocument = { body: string; headers: Record<string, string> };

/**
 * A GET handler that serves a PublicDocument and also exposes it, so a server
 * in front of Next can send it without building a WHATWG Request and Response
 * (see servePublicDocumentLikeNext). The handler itself answers errors.
 */
export type PublicDocumentHandler = RouteHandler & { document: () => PublicDocument | Promise<PublicDocument> };

export function isPublicDocumentHandler(handler: RouteHandler): handler is PublicDocumentHandler {
  return typeof (handler as Partial<PublicDocumentHandler>).document === "function";
}

/**
 * What a plain handler reads of a request: a subset of the WHATWG Request,
 * so Next's Request serves as is, and a server in front of Next can pass a
 * lighter object. `url` is absolute; header names are looked up in lower case.
 */
export type PlainRequest = { method: string; url: string; headers: Pick<Headers, "get">; text(): Promise<string> };

/** A plain answer: status, headers with lower-case names, and the body as text. */
export type PlainAnswer = { status: number; headers: Record<string, string>; body: string };

/**
 * A route handler that is a plain handler underneath, and exposes it, so a
 * server in front of Next can answer without building a WHATWG Request and
 * Response (see servePlainAnswerLikeNext). Under Next the route handler
 * wraps the same `answer`.
 */
export type PlainAnswerHandler = RouteHandler & {
  answer: (req: PlainRequest) => Promise<PlainAnswer>;
  /**
   * An optional fast path for the protocol fast lane: the answer, when it is
   * at hand without awaiting anything, for a request whose body is already
   * read; undefined sends the request through `answer`, which makes every
   * check again. Only for answers that need no request context or audit.
   */
  atHand?: (headers: Pick<Headers, "get">, body: string) => PlainAnswer | undefined;
};

export function isPlainAnswerHandler(handler: RouteHandler): handler is PlainAnswerHandler {
  return typeof (handler as Partial<PlainAnswerHandler>).answer === "function";
}

/** A plain answer as a WHATWG Response. */
export function plainAnswerResponse(answer: PlainAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** A plain handler as an App Router route handler. */
export function plainAnswerRoute(answer: (req: PlainRequest) => Promise<PlainAnswer>): PlainAnswerHandler {
  const route = async (req: Request) => plainAnswerResponse(await answer(req));
  return Object.assign(route, { answer });
}

/**
 * What `next start` adds to every App Router answer besides the handler's own
 * headers: the security headers next.config.ts lists for every path, and the
 * Vary that tells caches an RSC request gets another answer. Next sends no
 * X-Powered-By (poweredByHeader: false), no ETag and no compression for route
 * handler answers. tests/e2e/oidc/fast-lane.spec.ts compares both paths
 * header by header, so a Next upgrade that changes these fails there.
 */
const NEXT_APP_ROUTE_VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";

let nextHeaders: [string, string][] | undefined;

export function headersNextAdds(): [string, string][] {
  nextHeaders ??= [
    ...securityHeaders().map(({ key, value }): [string, string] => [key, value]),
    ["vary", NEXT_APP_ROUTE_VARY],
  ];
  return nextHeaders;
}

/**
 * The request headers Next fills in before a handler runs when the client
 * sent none (base-server.js): X-Forwarded-* from the socket. Behind proxies
 * (TRUST_PROXY_HOPS), lib/http/client-address.ts reads X-Forwarded-For, so a
 * missing one must be the peer here as it is there.
 */
export function fillForwardedHeaders(req: IncomingMessage): void {
  const h = req.headers;
  const https = h["x-forwarded-proto"] ? h["x-forwarded-proto"] === "https" : "encrypted" in req.socket;
  h["x-forwarded-host"] ??= h.host;
  h["x-forwarded-port"] ??= String(req.socket.localPort ?? (https ? 443 : 80));
  h["x-forwarded-proto"] ??= https ? "https" : "http";
  h["x-forwarded-for"] ??= req.socket.remoteAddress;
}

/**
 * A request header's value as Headers.get gives it. Node keeps only
 * set-cookie as a list; a request has no business sending it, and Headers
 * would join it so too.
 */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The request headers as a Request init; Request copies them into its own Headers, so none is built here. */
function headersInitOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = headerValue(req, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

export function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.once("end", () => resolve(new Uint8Array(Buffer.concat(chunks)) as Uint8Array<ArrayBuffer>));
    req.once("error", reject);
    // A client that hangs up mid-body may end the stream with "close" and no "error": never wait for ever.
    req.once("close", () => {
      if (!req.complete) reject(clientAbortError());
    });
  });
}

/** Writes a Response with the headers Next adds, its body read whole (small JSON documents and errors). */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of headersNextAdds()) headers[name] = value;
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  // The answers served this way are small JSON documents, read whole so they go out with a Content-Length in one write.
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

type Sent = { headers: Record<string, string>; body: string | Uint8Array | null };
const documentHeaders = new WeakMap<Sent, Record<string, string>>();

/**
 * What goes out with a document (or a public file, a plain answer), worked
 * out once per object. The object is reused for every answer: writeHead turns
 * it into the header block at once, so the request id set on it just before
 * is the one each answer gets. No body (a 304) sends no Content-Length.
 */
export function headersOfDocument(document: Sent): Record<string, string> {
  let headers = documentHeaders.get(document);
  if (!headers) {
    headers = Object.fromEntries(headersNextAdds());
    const nextVary = headers.vary;
    Object.assign(headers, document.headers, { "x-request-id": "" });
    // Next appends a handler's Vary to its own (send-response.js), as a second field that clients read joined.
    if (document.headers.vary) headers.vary = `${nextVary}, ${document.headers.vary}`;
    if (document.body !== null) headers["content-length"] = String(Buffer.byteLength(document.body));
    documentHeaders.set(document, headers);
  }
  return headers;
}

function sendDocument(req: IncomingMessage, res: ServerResponse, document: PublicDocument, started: number): void {
  const requestId = requestIdFrom({ get: (name) => headerValue(req, name) ?? null });
  const headers = headersOfDocument(document);
  headers["x-request-id"] = requestId;
  try {
    res.writeHead(200, headers);
    res.end(document.body);
  } catch (e) {
    // Runs inside the server's request event: nothing may escape into Node's HTTP parser.
    log.error(
      { path: req.url?.split("?")[0], err: e instanceof Error ? e.message : String(e) },
      "public document not sent",
    );
    res.destroy();
    return;
  }
  logApiRequest({ method: req.method ?? "GET", url: req.url ?? "/" }, 200, started, { requestId });
}

/**
 * Sends a public document as its handler would through apiRoute under Next:
 * the document's headers, those Next adds, the caller's x-request-id or a new
 * one, the same access-log line. For discovery and JWKS the WHATWG Request and
 * Response round trip cost more than the document itself, and a document at
 * hand goes out without waiting on a promise. When the document cannot be had
 * (the key store is unreachable, say), the handler runs and answers the error
 * as it always does.
 */
export function servePublicDocumentLikeNext(
  req: IncomingMessage,
  res: ServerResponse,
  handler: PublicDocumentHandler,
  origin: string,
): void | Promise<void> {
  const started = performance.now();
  const fallBack = () => {
    stampPeerAddress(req);
    return serveRouteHandlerLikeNext(req, res, handler, origin);
  };
  let document: PublicDocument | Promise<PublicDocument>;
  try {
    document = handler.document();
  } catch {
    return fallBack();
  }
  if (!(document instanceof Promise)) return sendDocument(req, res, document, started);
  return document.then((d) => sendDocument(req, res, d, started), fallBack);
}

/**
 * Runs an App Router route handler on a node request, as `next start` would
 * for that path: the handler gets a WHATWG Request with the same URL path,
 * query, headers and body, and its Response goes out with the headers Next
 * adds. `origin` is the base of the request URL; handlers must not depend on
 * it (the OIDC ones build every URL from the issuer). The caller checks that
 * the body is small enough to read whole.
 */
export async function serveRouteHandlerLikeNext(
  req: IncomingMessage,
  res: ServerResponse,
  handler: RouteHandler,
  origin: string,
): Promise<void> {
  try {
    fillForwardedHeaders(req);
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    // No abort signal: none of the lane's handlers watches one, and an AbortController per request was a measurable share of a discovery request.
    const request = new Request(origin + req.url, { method, headers: headersInitOf(req), body });
    await writeResponse(res, await handler(request, { params: Promise.resolve({}) }));
  } catch (e) {
    failedOutsideNext(req, res, e);
  }
}

/** Handlers wrapped in apiRoute or oauthEndpoint answer their own errors; this is a client gone mid-body or a bug here. */
export function failedOutsideNext(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  if (isClientAbort(e)) {
    log.info({ path: req.url?.split("?")[0] }, "client went away before its request was read");
    res.destroy();
    return;
  }
  log.error(
    { path: req.url?.split("?")[0], err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) },
    "route handler outside Next failed",
  );
  if (res.headersSent) res.destroy();
  else {
    res.writeHead(500, Object.fromEntries(headersNextAdds()));
    res.end();
  }
}
