import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const verifyEmailRequestSchema = z.object({ code: z.string() });
export const verifyEmailResponseSchema = z.object({ verified: z.literal(true) });

export const verifyEmailOperation = defineOperation({
  method: "POST",
  path: "/api/account/email-verification",
  operationId: "verifyAccountEmail",
  summary: "Confirm the signed-in user's address with the mailed code",
  auth: "session",
  request: { body: verifyEmailRequestSchema },
  responses: { 200: { description: "Confirmed", schema: verifyEmailResponseSchema } },
  errors: { 409: "Already confirmed (ALREADY_VERIFIED)", 422: "Wrong or expired code (BAD_CODE)" },
  reasons: [authFailureReasons],
});
