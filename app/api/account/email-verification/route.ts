import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { verifyAccountEmail } from "@/lib/auth/verify-account-email";
import { answer, parseBody } from "@/lib/http/api-contract";
import { verifyEmailRequestSchema, verifyEmailResponseSchema } from "@/app/api/account/email-verification/schemas";

/** Confirms the signed-in user's address with the mailed code. */
export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess("signed-in");
  const { code } = await parseBody(verifyEmailRequestSchema, req);
  await verifyAccountEmail({ userId: session.userId, code });
  return answer(verifyEmailResponseSchema, { verified: true });
});
