import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { startSignUp } from "@/lib/auth/start-sign-up";

const bodySchema = z.object({ email: z.string(), name: z.string() });

/** Registration options for a new account's first passkey; the sign-up completes through next-auth ("passkey-sign-up"). */
export const POST = apiRoute(async (req, { request }) => {
  const { email, name } = bodySchema.parse(await readJson(req));
  const options = await startSignUp({ email, name, ipAddress: request.ipAddress });
  return Response.json(options, { headers: { "cache-control": "no-store" } });
});
