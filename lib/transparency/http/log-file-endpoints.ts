import "server-only";
import { apiRoute } from "@/lib/http/api-route";
import { publicFileResponse } from "@/lib/http/serve-public-file-like-next";
import {
  checkpointFile,
  logVerifierKeyFile,
  plainTileSegments,
  tileFile,
} from "@/lib/transparency/http/serve-log-files";

/**
 * The log's public files as route handlers (app/log/ re-exports them), each
 * through apiRoute as every route is. The checkpoint, the tiles and the key also carry
 * their public file, which the protocol fast lane sends directly
 * (lib/protocol-fast-lane/log-fast-lane-routes.ts): the same answers, without
 * Next's router or a WHATWG Request and Response.
 */

/** Public, C2SP tlog-tiles: the latest signed checkpoint (docs/LOG.md). */
export const checkpointGET = Object.assign(
  apiRoute(async (req) => publicFileResponse(await checkpointFile(req.headers.get("if-none-match"))), {
    crossOrigin: true,
  }),
  {
    publicFile: ({ headers }: { headers: Pick<Headers, "get"> }) => checkpointFile(headers.get("if-none-match")),
  },
);

export const TILE_PREFIX = "/log/tile/";

/**
 * Public, C2SP tlog-tiles: `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`; in the protocol fast
 * lane, entry bundles go gzipped to a client that accepts gzip (serve-log-files.ts, tileFile).
 */
export const tileGET = Object.assign(
  // Under Next, bundles go as they are whatever the client accepts: Next drops a route handler's
  // Content-Encoding (next/dist/server/send-response.js), so a gzipped body would reach the client undeclared.
  apiRoute<{ path: string[] }>(async (_req, { params }) => publicFileResponse(await tileFile(params.path)), {
    crossOrigin: true,
  }),
  {
    publicFile: ({ pathname, headers }: { pathname: string; headers: Pick<Headers, "get"> }) => {
      const segments = pathname.startsWith(TILE_PREFIX)
        ? plainTileSegments(pathname.slice(TILE_PREFIX.length))
        : undefined;
      return segments && tileFile(segments, headers.get("accept-encoding"));
    },
  },
);

/** Public: the log's C2SP verifier key (vkey), for witnesses, monitors and `tools/log-verify`. */
export const keyGET = Object.assign(
  apiRoute(async () => publicFileResponse(await logVerifierKeyFile()), { crossOrigin: true }),
  { publicFile: () => logVerifierKeyFile() },
);
