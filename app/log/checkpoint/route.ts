import { apiRoute } from "@/lib/http/api-route";
import { serveCheckpoint } from "@/lib/transparency/http/serve-log-files";

/** Public, C2SP tlog-tiles: the latest signed checkpoint (docs/LOG.md). */
export const GET = apiRoute((req) => serveCheckpoint(req), { crossOrigin: true });
