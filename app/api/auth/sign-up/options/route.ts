import { apiRoute } from "@/lib/http/api-route";
import { startSignUp } from "@/lib/auth/start-sign-up";
import { answer, parseBody } from "@/lib/http/api-contract";
import { registrationOptionsSchema } from "@/app/api/auth/webauthn-schemas";
import { signUpOptionsRequestSchema } from "@/app/api/auth/sign-up/options/schemas";

/** Registration options for a new account's first passkey; the sign-up completes through next-auth ("passkey-sign-up"). */
export const POST = apiRoute(async (req, { request }) => {
  const { email, name } = await parseBody(signUpOptionsRequestSchema, req);
  const options = await startSignUp({ email, name, ipAddress: request.ipAddress });
  return answer(registrationOptionsSchema, options, { headers: { "cache-control": "no-store" } });
});
