import { apiRoute } from "@/lib/http/api-route";
import { answer, parseQuery } from "@/lib/http/api-contract";
import { proveInclusion } from "@/lib/transparency/prove";
import { inclusionRequestSchema, inclusionResponseSchema } from "@/app/api/log/schemas";

/** Public: entry `index` with its RFC 9162 inclusion proof against the signed checkpoint of `treeSize` (default latest). */
export const GET = apiRoute(
  async (req) => {
    const q = parseQuery(inclusionRequestSchema, req);
    return answer(inclusionResponseSchema, await proveInclusion(q.index, q.treeSize), {
      headers: { "cache-control": "public, max-age=5", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
