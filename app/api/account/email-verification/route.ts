import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { verifyAccountEmail } from "@/lib/auth/verify-account-email";

const bodySchema = z.object({ code: z.string() });

/** Confirms the signed-in user's address with the mailed code. */
export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess("signed-in");
  const { code } = bodySchema.parse(await readJson(req));
  await verifyAccountEmail({ userId: session.userId, code });
  return Response.json({ verified: true });
});
