import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

export const healthResponseSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.union([
    z.object({
      ok: z.boolean().meta({ description: "true" }),
      engine: z.string(),
      latestMigration: z.string().nullable(),
      migrationsApplied: z.number().int(),
      latencyMs: z.number(),
      cache: z
        .enum(["on", "off"])
        .meta({ description: "Whether hot reads are cached (the invalidation feed is live)" }),
    }),
    z.object({ ok: z.boolean().meta({ description: "false" }), error: z.string() }),
  ]),
});

export const healthOperation = defineOperation({
  method: "GET",
  path: "/api/health",
  operationId: "getHealth",
  summary: "Whether the database answers, which engine, how far migrated, and whether hot reads are cached",
  auth: "public",
  responses: {
    200: { description: "Healthy", schema: healthResponseSchema },
    503: { description: "The database does not answer", schema: healthResponseSchema },
  },
  reasons: [],
});
