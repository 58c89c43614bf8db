import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const resendVerificationResponseSchema = z.object({ sent: z.literal(true) });

export const resendVerificationOperation = defineOperation({
  method: "POST",
  path: "/api/account/email-verification/resend",
  operationId: "resendVerificationEmail",
  summary: "Mail the signed-in user a new confirmation code",
  auth: "session",
  responses: { 200: { description: "Sent", schema: resendVerificationResponseSchema } },
  errors: { 409: "Already confirmed (ALREADY_VERIFIED)", 429: "Too many codes asked for" },
  reasons: [authFailureReasons],
});
