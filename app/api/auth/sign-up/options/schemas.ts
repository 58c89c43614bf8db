import { z } from "zod";
import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";
import { registrationOptionsSchema } from "@/app/api/auth/webauthn-schemas";

export const signUpOptionsRequestSchema = z.object({ email: z.string(), name: z.string() });

export const signUpOptionsOperation = defineOperation({
  method: "POST",
  path: "/api/auth/sign-up/options",
  operationId: "startSignUp",
  summary: "Registration options for a new account's first passkey",
  description: 'The sign-up completes through next-auth (the "passkey-sign-up" provider).',
  auth: "public",
  request: { body: signUpOptionsRequestSchema },
  responses: { 200: { description: "WebAuthn creation options", schema: registrationOptionsSchema } },
  errors: { 409: "An account with this address exists (EMAIL_TAKEN)", 429: "Too many attempts" },
  reasons: [authFailureReasons],
});
