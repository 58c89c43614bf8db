import { apiRoute } from "@/lib/http/api-route";
import { proveInclusion } from "@/lib/transparency/prove";
import { inclusionRequestSchema, inclusionResponseSchema } from "@/app/api/log/schemas";

/** Public: entry `index` with its RFC 9162 inclusion proof against the signed checkpoint of `treeSize` (default latest). */
export const GET = apiRoute(
  async (req) => {
    const q = inclusionRequestSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return Response.json(inclusionResponseSchema.parse(await proveInclusion(q.index, q.treeSize)), {
      headers: { "cache-control": "public, max-age=5", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
