import { apiRoute } from "@/lib/http/api-route";
import { answer } from "@/lib/http/api-contract";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { openApiDocumentSchema } from "@/app/api/v1/openapi.json/schemas";

/** The OpenAPI 3.1 document of the ticket-sale API (the whole API's is at /api/openapi.json). */
export const GET = apiRoute(
  async () =>
    answer(openApiDocumentSchema, openApiDocument("ticket-sale"), {
      headers: { "cache-control": "public, max-age=300" },
    }),
  { crossOrigin: true },
);
