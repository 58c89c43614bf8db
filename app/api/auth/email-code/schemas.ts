import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

export const emailCodeRequestSchema = z.object({ email: z.string() });
export const emailCodeResponseSchema = z.object({ sent: z.literal(true) });

export const requestEmailCodeOperation = defineOperation({
  method: "POST",
  path: "/api/auth/email-code",
  operationId: "requestEmailCode",
  summary: "Mail a sign-in code, usable only in this browser (the answer sets its binding cookie)",
  description: "The same answer whether or not the address has an account.",
  auth: "public",
  request: { body: emailCodeRequestSchema },
  responses: { 200: { description: "Sent (or not, without saying)", schema: emailCodeResponseSchema } },
  errors: { 429: "Too many codes asked for" },
  reasons: [authFailureReasons],
});
