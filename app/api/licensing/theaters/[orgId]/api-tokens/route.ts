import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
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
    const { actor } = await requireAccess("signed-in");
    return answer(
      listApiTokensResponseSchema,
      { tokens: await listTheaterApiTokens({ orgId: params.orgId, actor }) },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { params: pathParams },
);

/** Makes a token; the answer is the only time it is shown. Sessions only: a token cannot mint tokens. */
export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess("signed-in");
    const input = await parseBody(createApiTokenRequestSchema, req);
    return answer(createApiTokenResponseSchema, await createTheaterApiToken({ orgId: params.orgId, ...input, actor }), {
      status: 201,
      headers: { "cache-control": "no-store" },
    });
  },
  { params: pathParams },
);
