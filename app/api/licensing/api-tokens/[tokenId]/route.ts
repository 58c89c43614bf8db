import { apiRoute } from "@/lib/http/api-route";
import { requireSession } from "@/lib/auth/get-current-session";
import { z } from "zod";
import { revokeTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import { readFormOrJson } from "@/lib/http/form-or-json";
import { actReasonSchema } from "@/lib/audit/act-reason";

/** Revokes a theater API token; the page sends the reason its admin typed to confirm, an API caller may. */
export const DELETE = apiRoute<{ tokenId: string }>(async (req, { params }) => {
  const session = await requireSession();
  const { reason } = z.object({ reason: actReasonSchema.optional() }).parse(await readFormOrJson(req));
  await revokeTheaterApiToken({ tokenId: params.tokenId, reason, actor: { type: "user", id: session.userId } });
  return new Response(null, { status: 204 });
});
