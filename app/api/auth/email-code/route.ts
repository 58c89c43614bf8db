import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requestEmailCode } from "@/lib/auth/request-email-code";

const bodySchema = z.object({ email: z.string() });

/** Mails a sign-in code. Same answer whether or not the address has an account. */
export const POST = apiRoute(async (req, { request }) => {
  const { email } = bodySchema.parse(await readJson(req));
  await requestEmailCode({ email, ipAddress: request.ipAddress });
  return Response.json({ sent: true });
});
