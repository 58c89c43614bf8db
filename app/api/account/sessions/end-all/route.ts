import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { endAllSessions } from "@/lib/auth/sessions";
import { answer } from "@/lib/http/api-contract";
import { endAllSessionsResponseSchema } from "@/app/api/account/sessions/end-all/schemas";

/** Signs the user out everywhere, this browser included. */
export const POST = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  const ended = await endAllSessions({ userId: session.userId });
  return answer(endAllSessionsResponseSchema, { ended });
});
