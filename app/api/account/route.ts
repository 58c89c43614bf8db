import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { updateProfile } from "@/lib/auth/update-profile";

const bodySchema = z.object({ name: z.string() });

/** Changes the signed-in user's display name. */
export const PATCH = apiRoute(async (req) => {
  const { session } = await requireAccess("signed-in");
  const { name } = bodySchema.parse(await readJson(req));
  const user = await updateProfile({ userId: session.userId, name });
  return Response.json({ user: { id: user.id, name: user.name } });
});
