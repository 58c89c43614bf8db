import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logApiRequest } from "@/lib/http/api-route";
import { requestIdFrom } from "@/lib/http/request-context";
import {
  failedOutsideNext,
  fillForwardedHeaders,
  headersNextAdds,
  headersOfDocument,
  headerValue,
  readBody,
  type PlainAnswer,
  type PlainAnswerHandler,
} from "@/lib/http/serve-route-handler-like-next";

/** The body as WHATWG Request.text() decodes it: UTF-8, a leading byte order mark dropped. */
async function readBodyText(req: IncomingMessage): Promise<string> {
  const bytes = await readBody(req);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Node's request headers read as Headers.get reads them: by lower-case name, repeated values joined. */
function headerReaderOf(req: IncomingMessage): Pick<Headers, "get"> {
  return { get: (name) => headerValue(req, name.toLowerCase()) ?? null };
}

/**
 * Sends an answer a handler had at hand (PlainAnswerHandler.atHand) as
 * oauthEndpoint would have: its headers, those Next adds, the caller's
 * request id when it looks like one (else a new one), the same access-log
 * line. The headers are worked out once per answer object, as a document's.
 */
function sendAtHand(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer, started: number): void {
  const requestId = requestIdFrom(headerReaderOf(req));
  const headers = headersOfDocument(answer);
  headers["x-request-id"] = requestId;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
  logApiRequest({ method: req.method ?? "POST", url: req.url ?? "/" }, answer.status, started, { requestId });
}

/**
 * Runs a plain handler on a node request, as serveRouteHandlerLikeNext runs
 * its route handler, without the WHATWG Request and Response: the lighter
 * request reader, and the answer written at once with the headers Next adds.
 * For the token endpoint and userinfo that round trip was about a fifth of a
 * request's CPU. A handler with a fast path (`atHand`) is asked first, once
 * the body is read; when it has nothing at hand, `answer` runs as ever. The
 * caller checks that the body is small enough to read whole.
 */
export async function servePlainAnswerLikeNext(
  req: IncomingMessage,
  res: ServerResponse,
  handler: PlainAnswerHandler,
  origin: string,
): Promise<void> {
  try {
    const started = performance.now();
    fillForwardedHeaders(req);
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? "" : await readBodyText(req);
    const headers = headerReaderOf(req);
    const atHand = handler.atHand?.(headers, body);
    if (atHand) return sendAtHand(req, res, atHand, started);
    const answer = await handler.answer({ method, url: origin + req.url, headers, text: async () => body });
    const out: Record<string, string> = Object.fromEntries(headersNextAdds());
    Object.assign(out, answer.headers, { "content-length": String(Buffer.byteLength(answer.body)) });
    res.writeHead(answer.status, out);
    res.end(answer.body);
  } catch (e) {
    failedOutsideNext(req, res, e);
  }
}
