import { defineOperation } from "@/lib/http/api-contract";
import { authFailureReasons } from "@/lib/auth/failure-reasons";
import { registrationOptionsSchema } from "@/app/api/auth/webauthn-schemas";

export const passkeyRegistrationOptionsOperation = defineOperation({
  method: "POST",
  path: "/api/account/passkeys/options",
  operationId: "startPasskeyRegistration",
  summary: "Registration options for adding a passkey to the signed-in user's own account",
  auth: "session",
  responses: { 200: { description: "WebAuthn creation options", schema: registrationOptionsSchema } },
  errors: { 401: "The sign-in is not recent enough (REAUTH_REQUIRED)", 409: "Too many passkeys" },
  reasons: [authFailureReasons],
});
