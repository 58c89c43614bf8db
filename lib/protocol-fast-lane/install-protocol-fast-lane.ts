import "server-only";
import http from "node:http";
import { stampPeerAddress } from "@/lib/http/peer-address";
import {
  isPlainAnswerHandler,
  isPublicDocumentHandler,
  servePublicDocumentLikeNext,
  serveRouteHandlerLikeNext,
  type RouteHandler,
} from "@/lib/http/serve-route-handler-like-next";
import { servePlainAnswerLikeNext } from "@/lib/http/serve-plain-answer-like-next";
import {
  isPublicFileHandler,
  publicFilePathname,
  servePublicFileLikeNext,
} from "@/lib/http/serve-public-file-like-next";
import * as discovery from "@/lib/oidc/http/discovery-endpoint";
import * as jwks from "@/lib/oidc/http/jwks-endpoint";
import * as token from "@/lib/oidc/http/token-endpoint";
import * as userinfo from "@/lib/oidc/http/userinfo-endpoint";

/**
 * Handlers by exact pathname, then by method. A pathname ending in `/` stands
 * for every path below it; only public file handlers (the log's tiles) may be
 * routed so, since they judge the rest of the path themselves and leave to
 * Next what they do not take.
 */
export type FastLaneRoutes = Map<string, Partial<Record<string, RouteHandler>>>;

/**
 * The protocol fast lane. Next's router costs about a millisecond of CPU per
 * request before a route handler runs, more than the handler itself for
 * discovery, JWKS, a client_credentials token or userinfo, which relying
 * parties and hosts call far more often than anything else. So the
 * production server answers exactly these requests before Next sees them,
 * with the very handlers app/ exports for the same paths
 * (lib/oidc/http/*-endpoint.ts), and the headers Next would add
 * (serveRouteHandlerLikeNext). Everything else, including these paths with
 * another method, a trailing slash or any other spelling, goes to Next
 * untouched. proxy.ts does not run on these paths under Next either (its
 * matcher excludes them; tests/unit/oidc/protocol-fast-lane.test.ts checks).
 * OIDC_FAST_LANE=0 turns the lane off.
 */
export const oidcFastLaneRoutes: FastLaneRoutes = new Map([
  ["/.well-known/openid-configuration", { GET: discovery.GET, OPTIONS: discovery.OPTIONS }],
  ["/oidc/jwks", { GET: jwks.GET, OPTIONS: jwks.OPTIONS }],
  ["/oidc/token", { POST: token.POST, OPTIONS: token.OPTIONS }],
  ["/oidc/userinfo", { GET: userinfo.GET, POST: userinfo.POST, OPTIONS: userinfo.OPTIONS }],
]);

/** The largest body the lane reads itself; a larger or chunked one goes to Next, which then answers as before. */
export const FAST_LANE_MAX_BODY_BYTES = 64 * 1024;

/** The handler that answers this request in the lane, or undefined when Next must. */
export function fastLaneHandlerFor(
  req: Pick<http.IncomingMessage, "method" | "url" | "headers">,
  routes: FastLaneRoutes = oidcFastLaneRoutes,
): RouteHandler | undefined {
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const pathname = query < 0 ? url : url.slice(0, query);
  // A key ending in "/" is a prefix route, never a path of its own.
  const exact = pathname.endsWith("/") ? undefined : routes.get(pathname);
  const handler = (exact ?? routes.get(prefixOf(pathname, routes)))?.[req.method ?? ""];
  if (!handler) return undefined;
  if (req.method === "POST") {
    if (req.headers["transfer-encoding"] !== undefined) return undefined;
    if (Number(req.headers["content-length"] ?? 0) > FAST_LANE_MAX_BODY_BYTES) return undefined;
  }
  return handler;
}

const prefixesOf = new WeakMap<FastLaneRoutes, string[]>();

/** The prefix route (a key ending in `/`) that a path lies below, or "" for none. */
function prefixOf(pathname: string, routes: FastLaneRoutes): string {
  let prefixes = prefixesOf.get(routes);
  if (!prefixes) {
    prefixes = [...routes.keys()].filter((path) => path.endsWith("/"));
    prefixesOf.set(routes, prefixes);
  }
  for (const prefix of prefixes) if (pathname.length > prefix.length && pathname.startsWith(prefix)) return prefix;
  return "";
}

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Installs the lane on every node HTTP server of this process (the one
 * `next start` makes), in the style of installPeerAddressHeader. The lane
 * stamps the peer address itself, so it works whichever of the two patches
 * wraps the other. `origin` is the base of the request URLs handlers see.
 * Returns a function that restores the emit it wrapped (tests).
 */
export function installProtocolFastLane(origin: string, routes: FastLaneRoutes = oidcFastLaneRoutes): () => void {
  const proto = http.Server.prototype as http.Server & { guildhallFastLane?: boolean };
  if (proto.guildhallFastLane) return () => {};
  proto.guildhallFastLane = true;
  const emit = proto.emit as Emit;
  const laned: Emit = function (event, ...args) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const handler = fastLaneHandlerFor(req, routes);
      if (handler) {
        const res = args[1] as http.ServerResponse;
        if (isPublicFileHandler(handler)) {
          // A file is the same for every caller: nothing reads the peer address. A query, or a path the handler
          // does not take as it is, goes to Next, which judges it as it always does.
          const pathname = publicFilePathname(req);
          if (pathname !== undefined && servePublicFileLikeNext(req, res, handler, pathname)) return true;
          return emit.call(this, event, ...args);
        }
        if (isPublicDocumentHandler(handler)) {
          // A document is the same for every caller: nothing reads the peer address (a failure falls back to the handler, stamped then).
          void servePublicDocumentLikeNext(req, res, handler, origin);
        } else {
          stampPeerAddress(req);
          if (isPlainAnswerHandler(handler)) void servePlainAnswerLikeNext(req, res, handler, origin);
          else void serveRouteHandlerLikeNext(req, res, handler, origin);
        }
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
  proto.emit = laned as typeof proto.emit;
  return () => {
    proto.emit = emit as typeof proto.emit;
    proto.guildhallFastLane = false;
  };
}
