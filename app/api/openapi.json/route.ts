import { apiRoute } from "@/lib/http/api-route";
import { answer } from "@/lib/http/api-contract";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { openApiDocumentSchema } from "@/app/api/v1/openapi.json/schemas";

/** The OpenAPI 3.1 document of every JSON route (generated from app/api/api-registry.ts). */
export const GET = apiRoute(
  async () =>
    answer(openApiDocumentSchema, openApiDocument("all"), { headers: { "cache-control": "public, max-age=300" } }),
  { crossOrigin: true },
);
