import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { resendVerificationEmail } from "@/lib/auth/resend-verification-email";

/** Mails the signed-in user a new confirmation code. */
export const POST = apiRoute(async (_req, { request }) => {
  const { session } = await requireAccess("signed-in");
  await resendVerificationEmail({ userId: session.userId, ipAddress: request.ipAddress });
  return Response.json({ sent: true });
});
