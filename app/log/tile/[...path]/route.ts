import { apiRoute } from "@/lib/http/api-route";
import { serveTile } from "@/lib/transparency/http/serve-log-files";

/** Public, C2SP tlog-tiles: `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`. */
export const GET = apiRoute<{ path: string[] }>((_req, { params }) => serveTile(params.path), { crossOrigin: true });
