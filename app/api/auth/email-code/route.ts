import { apiRoute } from "@/lib/http/api-route";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { newSignInBinding } from "@/lib/auth/sign-in-binding";
import { answer, parseBody } from "@/lib/http/api-contract";
import { emailCodeRequestSchema, emailCodeResponseSchema } from "@/app/api/auth/email-code/schemas";

/**
 * Mails a sign-in code, usable only in this browser: the answer sets the
 * binding cookie whose hash the code is stored with. Same answer whether or
 * not the address has an account.
 */
export const POST = apiRoute(async (req, { request }) => {
  const { email } = await parseBody(emailCodeRequestSchema, req);
  const { binding, setCookie } = newSignInBinding();
  await requestEmailCode({ email, binding, ipAddress: request.ipAddress });
  return answer(emailCodeResponseSchema, { sent: true }, { headers: { "set-cookie": setCookie } });
});
