import { apiRoute } from "@/lib/http/api-route";
import { requireSession } from "@/lib/auth/get-current-session";
import { createTheaterApiToken, listTheaterApiTokens } from "@/lib/licensing/theater-api-tokens";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  createApiTokenRequestSchema,
  createApiTokenResponseSchema,
  listApiTokensResponseSchema,
  pathParams,
} from "@/app/api/licensing/theaters/[orgId]/api-tokens/schemas";

/** A theater admin's API tokens for the management client (only prefixes are shown). */
export const GET = apiRoute(
  async (_req, { params }) => {
    const session = await requireSession();
    return answer(
      listApiTokensResponseSchema,
      { tokens: await listTheaterApiTokens({ orgId: params.orgId, actor: { type: "user", id: session.userId } }) },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { params: pathParams },
);

/** Makes a token; the answer is the only time it is shown. Sessions only: a token cannot mint tokens. */
export const POST = apiRoute(
  async (req, { params }) => {
    const session = await requireSession();
    const input = await parseBody(createApiTokenRequestSchema, req);
    return answer(
      createApiTokenResponseSchema,
      await createTheaterApiToken({ orgId: params.orgId, ...input, actor: { type: "user", id: session.userId } }),
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { params: pathParams },
);
