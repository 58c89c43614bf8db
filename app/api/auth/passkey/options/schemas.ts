import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";
import { authenticationOptionsSchema } from "@/app/api/auth/webauthn-schemas";

export const passkeySignInOptionsOperation = defineOperation({
  method: "POST",
  path: "/api/auth/passkey/options",
  operationId: "startPasskeySignIn",
  summary: "Options for signing in with any of the browser's passkeys for this site",
  auth: "public",
  responses: { 200: { description: "WebAuthn request options", schema: authenticationOptionsSchema } },
  errors: { 429: "Too many sign-in attempts" },
  reasons: [authFailureReasons],
});
