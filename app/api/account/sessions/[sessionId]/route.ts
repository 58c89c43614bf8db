import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/account/sessions/[sessionId]/schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { endSession } from "@/lib/auth/end-session";

/** Ends one of the signed-in user's sessions (another user's is 404). */
export const DELETE = apiRoute(
  async (_req, { params }) => {
    const { session } = await requireAccess("signed-in");
    await endSession({ userId: session.userId, sessionId: params.sessionId });
    return new Response(null, { status: 204 });
  },
  { params: pathParams },
);
