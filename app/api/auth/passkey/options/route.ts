import { apiRoute } from "@/lib/http/api-route";
import { startPasskeySignIn } from "@/lib/auth/start-passkey-sign-in";
import { answer } from "@/lib/http/api-contract";
import { authenticationOptionsSchema } from "@/app/api/auth/webauthn-schemas";

/** Options for signing in with any of the browser's passkeys for this site (dialog or autofill). */
export const POST = apiRoute(async (_req, { request }) => {
  const options = await startPasskeySignIn({ ipAddress: request.ipAddress });
  return answer(authenticationOptionsSchema, options, { headers: { "cache-control": "no-store" } });
});
