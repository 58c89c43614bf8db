import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { revokeTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import { parseFormOrJsonBody } from "@/lib/http/api-contract";
import { revokeApiTokenRequestSchema, pathParams } from "@/app/api/licensing/api-tokens/[tokenId]/schemas";

/** Revokes a theater API token; the page sends the reason its admin typed to confirm, an API caller may. */
export const DELETE = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess("signed-in");
    const { reason } = await parseFormOrJsonBody(revokeApiTokenRequestSchema, req);
    await revokeTheaterApiToken({ tokenId: params.tokenId, reason, actor });
    return new Response(null, { status: 204 });
  },
  { params: pathParams },
);
