import { apiRoute } from "@/lib/http/api-route";
import { serveLogVerifierKey } from "@/lib/transparency/http/serve-log-files";

/** Public: the log's C2SP verifier key (vkey), for witnesses and `tools/log-verify`. */
export const GET = apiRoute(() => serveLogVerifierKey(), { crossOrigin: true });
