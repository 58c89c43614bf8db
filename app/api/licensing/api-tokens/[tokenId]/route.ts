import { apiRoute } from "@/lib/http/api-route";
import { requireSession } from "@/lib/auth/get-current-session";
import { revokeTheaterApiToken } from "@/lib/licensing/theater-api-tokens";

/** Revokes a theater API token. */
export const DELETE = apiRoute<{ tokenId: string }>(async (_req, { params }) => {
  const session = await requireSession();
  await revokeTheaterApiToken({ tokenId: params.tokenId, actor: { type: "user", id: session.userId } });
  return new Response(null, { status: 204 });
});
