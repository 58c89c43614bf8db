import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { newSignInBinding } from "@/lib/auth/sign-in-binding";

const bodySchema = z.object({ email: z.string() });

/**
 * Mails a sign-in code, usable only in this browser: the answer sets the
 * binding cookie whose hash the code is stored with. Same answer whether or
 * not the address has an account.
 */
export const POST = apiRoute(async (req, { request }) => {
  const { email } = bodySchema.parse(await readJson(req));
  const { binding, setCookie } = newSignInBinding();
  await requestEmailCode({ email, binding, ipAddress: request.ipAddress });
  return Response.json({ sent: true }, { headers: { "set-cookie": setCookie } });
});
