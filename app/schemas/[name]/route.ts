import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";
import { publishedJsonSchema } from "@/app/schemas/registry";

/** Public: the JSON Schemas of receipts, personal exports and theater backups (app/schemas/registry.ts). */
export const GET = apiRoute<{ name: string }>(
  async (_req, { params }) => {
    const schema = publishedJsonSchema(params.name);
    if (!schema) throw new AppError("NOT_FOUND", { userMessage: "No such schema.", reason: "SCHEMA_NOT_FOUND" });
    return Response.json(schema, {
      headers: { "content-type": "application/schema+json", "cache-control": "public, max-age=3600" },
    });
  },
  { crossOrigin: true },
);
