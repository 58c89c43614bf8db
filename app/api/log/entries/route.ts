import { apiRoute } from "@/lib/http/api-route";
import { answer, parseQuery } from "@/lib/http/api-contract";
import { findLogEntries } from "@/lib/transparency/find-log-entries";
import { entriesRequestSchema, entriesResponseSchema } from "@/app/api/log/schemas";

/** Public: integrated entries, newest first, by subject (a license, a proposal, a batch...) or by type. */
export const GET = apiRoute(
  async (req) => {
    const q = parseQuery(entriesRequestSchema, req);
    return answer(entriesResponseSchema, await findLogEntries(q), {
      headers: { "cache-control": "public, max-age=1", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
