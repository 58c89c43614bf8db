import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { resendVerificationEmail } from "@/lib/auth/resend-verification-email";
import { answer } from "@/lib/http/api-contract";
import { resendVerificationResponseSchema } from "@/app/api/account/email-verification/resend/schemas";

/** Mails the signed-in user a new confirmation code. */
export const POST = apiRoute(async (_req, { request }) => {
  const { session } = await requireAccess("signed-in");
  await resendVerificationEmail({ userId: session.userId, ipAddress: request.ipAddress });
  return answer(resendVerificationResponseSchema, { sent: true });
});
