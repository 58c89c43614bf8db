import { apiRoute } from "@/lib/http/api-route";
import { answer, parseQuery } from "@/lib/http/api-contract";
import { proveConsistency } from "@/lib/transparency/prove";
import { consistencyRequestSchema, consistencyResponseSchema } from "@/app/api/log/schemas";

/** Public: the RFC 9162 consistency proof from the tree of size `from` to the signed checkpoint of `to` (default latest). */
export const GET = apiRoute(
  async (req) => {
    const q = parseQuery(consistencyRequestSchema, req);
    return answer(consistencyResponseSchema, await proveConsistency(q.from, q.to), {
      headers: { "cache-control": "public, max-age=5", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
