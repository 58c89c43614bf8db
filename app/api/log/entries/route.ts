import { apiRoute } from "@/lib/http/api-route";
import { findLogEntries } from "@/lib/transparency/find-log-entries";
import { entriesRequestSchema, entriesResponseSchema } from "@/app/api/log/schemas";

/** Public: integrated entries, newest first, by subject (a license, a proposal, a batch...) or by type. */
export const GET = apiRoute(
  async (req) => {
    const q = entriesRequestSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return Response.json(entriesResponseSchema.parse(await findLogEntries(q)), {
      headers: { "cache-control": "public, max-age=1", "access-control-allow-origin": "*" },
    });
  },
  { crossOrigin: true },
);
