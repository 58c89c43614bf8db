import { apiRoute } from "@/lib/http/api-route";
import { openApiDocument } from "@/app/api/v1/openapi-document";

/** The OpenAPI 3.1 document of the ticket-sale API. */
export const GET = apiRoute(
  async () => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
  { crossOrigin: true },
);
