import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const updateProfileRequestSchema = z.object({ name: z.string() });
export const updateProfileResponseSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().nullable() }),
});

export const updateProfileOperation = defineOperation({
  method: "PATCH",
  path: "/api/account",
  operationId: "updateProfile",
  summary: "Change the signed-in user's display name",
  auth: "session",
  request: { body: updateProfileRequestSchema },
  responses: { 200: { description: "The user", schema: updateProfileResponseSchema } },
  reasons: [authFailureReasons],
});
