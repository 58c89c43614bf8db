import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

export const readinessResponseSchema = z.union([
  z.object({ status: z.literal("ready") }),
  z.object({
    status: z.literal("not ready"),
    ready: z.literal(false),
    reason: z.enum(["shutting down", "database unreachable", "migrations pending"]),
    pendingMigrations: z.array(z.string()).optional(),
  }),
]);

export const readinessOperation = defineOperation({
  method: "GET",
  path: "/api/health/ready",
  operationId: "getReadiness",
  summary: "Readiness: 200 while this instance can serve, 503 with the reason while it cannot",
  auth: "public",
  responses: {
    200: { description: "Ready", schema: readinessResponseSchema },
    503: { description: "Not ready, and why", schema: readinessResponseSchema },
  },
  reasons: [],
});
