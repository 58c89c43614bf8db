import { apiRoute } from "@/lib/http/api-route";
import { federationAnswer } from "@/lib/federation/federation-answer";
import { listSubordinates } from "@/lib/federation/list-subordinates";

/** The subordinate listing endpoint (§8.2): a JSON array of the admitted hosts' Entity Identifiers. */
export const GET = apiRoute(
  async (req) =>
    federationAnswer(async () =>
      Response.json(await listSubordinates(new URL(req.url).searchParams), {
        headers: { "cache-control": "no-cache", "access-control-allow-origin": "*" },
      }),
    ),
  { crossOrigin: true },
);
