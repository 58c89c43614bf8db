import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { updateProfile } from "@/lib/auth/update-profile";
import { answer, parseBody } from "@/lib/http/api-contract";
import { updateProfileRequestSchema, updateProfileResponseSchema } from "@/app/api/account/schemas";

/** Changes the signed-in user's display name. */
export const PATCH = apiRoute(async (req) => {
  const { session } = await requireAccess("signed-in");
  const { name } = await parseBody(updateProfileRequestSchema, req);
  const user = await updateProfile({ userId: session.userId, name });
  return answer(updateProfileResponseSchema, { user });
});
