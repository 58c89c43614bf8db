import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorToResponse, logApiRequest } from "@/lib/http/api-route";
import { requestIdFrom } from "@/lib/http/request-context";
import {
  failedOutsideNext,
  headersOfDocument,
  headerValue,
  type RouteHandler,
  writeResponse,
} from "@/lib/http/serve-route-handler-like-next";

/**
 * A public file: an answer that depends on nothing but its path (and the
 * validator the caller sends), the same for every caller, such as the log's
 * checkpoint, tiles and entry bundles. A Uint8Array body is shared by every
 * answer that sends it: read-only. A null body is an answer without one (304).
 */
export type PublicFile = { status: number; headers: Record<string, string>; body: string | Uint8Array | null };

/**
 * What a public file's answer reads of a request: its path as sent (not
 * decoded, no query) and its headers by lower-case name.
 */
export type PublicFileRequest = { pathname: string; headers: Pick<Headers, "get"> };

/**
 * A GET route handler (through apiRoute) that is a public file underneath,
 * and exposes it, so a server in front of Next can answer without building a
 * WHATWG Request and Response (servePublicFileLikeNext). `publicFile` answers
 * undefined, synchronously, for a spelling of the path that only Next may
 * judge (percent-encoding, dot segments, empty segments...); it may throw or
 * reject, as the route would fail.
 */
export type PublicFileHandler = RouteHandler & {
  publicFile: (req: PublicFileRequest) => PublicFile | Promise<PublicFile> | undefined;
};

export function isPublicFileHandler(handler: RouteHandler): handler is PublicFileHandler {
  return typeof (handler as Partial<PublicFileHandler>).publicFile === "function";
}

/**
 * A public file as a WHATWG Response, for the route under Next. A Uint8Array
 * body goes out as one chunk of a stream over the shared bytes: a Uint8Array
 * body would be copied for every response, and a Blob's stream reads itself
 * back in pieces through Node's blob store, which cost an entry bundle (tens of
 * kilobytes) four times its serving.
 */
export function publicFileResponse(file: PublicFile): Response {
  const { body } = file;
  const stream =
    body instanceof Uint8Array
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(body);
            controller.close();
          },
        })
      : body;
  return new Response(stream, { status: file.status, headers: file.headers });
}

/** The path, when a request is one a public file may answer in the lane: GET, no query. */
export function publicFilePathname(req: Pick<IncomingMessage, "method" | "url">): string | undefined {
  const url = req.url ?? "";
  return req.method === "GET" && !url.includes("?") ? url : undefined;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: PublicFile, requestId: string, started: number) {
  const headers = headersOfDocument(file);
  headers["x-request-id"] = requestId;
  res.writeHead(file.status, headers);
  res.end(file.body ?? undefined);
  logApiRequest({ method: "GET", url: req.url ?? "/" }, file.status, started, { requestId });
}

async function sendFailure(req: IncomingMessage, res: ServerResponse, e: unknown, requestId: string, started: number) {
  // What apiRoute answers under Next for the same failure (a database that is down is a 503, anything else a 500).
  const response = errorToResponse(e, { requestId });
  response.headers.set("x-request-id", requestId);
  await writeResponse(res, response);
  logApiRequest({ method: "GET", url: req.url ?? "/" }, response.status, started, { requestId });
}

/**
 * Answers a public file as its route answers under Next through apiRoute:
 * the file's status, headers and body, the headers Next adds, the caller's
 * request id when it looks like one (else a new one), the same access-log
 * line; a failure as apiRoute's errorToResponse answers it. A file at hand
 * goes out without waiting on a promise. Returns false, having done nothing,
 * when the handler leaves this path to Next.
 */
export function servePublicFileLikeNext(
  req: IncomingMessage,
  res: ServerResponse,
  handler: PublicFileHandler,
  pathname: string,
): boolean {
  const started = performance.now();
  const headers: Pick<Headers, "get"> = { get: (name) => headerValue(req, name.toLowerCase()) ?? null };
  let file: PublicFile | Promise<PublicFile> | undefined;
  let requestId: string;
  try {
    file = handler.publicFile({ pathname, headers });
    if (file === undefined) return false;
    requestId = requestIdFrom(headers);
  } catch (e) {
    const id = requestIdFrom(headers);
    sendFailure(req, res, e, id, started).catch((err) => failedOutsideNext(req, res, err));
    return true;
  }
  try {
    if (!(file instanceof Promise)) sendFile(req, res, file, requestId, started);
    else
      file
        .then(
          (f) => sendFile(req, res, f, requestId, started),
          (e) => sendFailure(req, res, e, requestId, started),
        )
        .catch((err) => failedOutsideNext(req, res, err));
  } catch (err) {
    // Runs inside the server's request event: nothing may escape into Node's HTTP parser.
    failedOutsideNext(req, res, err);
  }
  return true;
}
