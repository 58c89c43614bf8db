import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";

export const liveResponseSchema = z.object({ status: z.literal("live") });

export const livenessOperation = defineOperation({
  method: "GET",
  path: "/api/health/live",
  operationId: "getLiveness",
  summary: "Liveness: the process answers (it never touches the database)",
  auth: "public",
  responses: { 200: { description: "Live", schema: liveResponseSchema } },
  reasons: [],
});
