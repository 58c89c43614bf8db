import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { renamePasskey } from "@/lib/auth/rename-passkey";
import { removePasskey } from "@/lib/auth/remove-passkey";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  renamePasskeyRequestSchema,
  renamePasskeyResponseSchema,
  pathParams,
} from "@/app/api/account/passkeys/[passkeyId]/schemas";

/** Renames one of the signed-in user's passkeys (another user's is 404). */
export const PATCH = apiRoute(
  async (req, { params }) => {
    const { session } = await requireAccess("signed-in");
    const { name } = await parseBody(renamePasskeyRequestSchema, req);
    const passkey = await renamePasskey({ userId: session.userId, passkeyId: params.passkeyId, name });
    return answer(renamePasskeyResponseSchema, { passkey });
  },
  { params: pathParams },
);

/** Removes one of the signed-in user's passkeys (another user's is 404). */
export const DELETE = apiRoute(
  async (_req, { params }) => {
    const { session } = await requireAccess("signed-in");
    await removePasskey({ userId: session.userId, passkeyId: params.passkeyId });
    return new Response(null, { status: 204 });
  },
  { params: pathParams },
);
