import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";
import { answer } from "@/lib/http/api-contract";
import { registrationOptionsSchema } from "@/app/api/auth/webauthn-schemas";

/** Registration options for adding a passkey to the signed-in user's own account. */
export const POST = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  const options = await startPasskeyRegistration({ userId: session.userId, authTime: session.authTime });
  return answer(registrationOptionsSchema, options, { headers: { "cache-control": "no-store" } });
});
