import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";

/** Registration options for adding a passkey to the signed-in user's own account. */
export const POST = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  const options = await startPasskeyRegistration({ userId: session.userId, authTime: session.authTime });
  return Response.json(options, { headers: { "cache-control": "no-store" } });
});
