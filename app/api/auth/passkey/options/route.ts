import { apiRoute } from "@/lib/http/api-route";
import { startPasskeySignIn } from "@/lib/auth/start-passkey-sign-in";

/** Options for signing in with any of the browser's passkeys for this site (dialog or autofill). */
export const POST = apiRoute(async (_req, { request }) => {
  const options = await startPasskeySignIn({ ipAddress: request.ipAddress });
  return Response.json(options, { headers: { "cache-control": "no-store" } });
});
