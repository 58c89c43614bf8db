import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { addPasskey } from "@/lib/auth/add-passkey";
import { listPasskeys } from "@/lib/auth/list-passkeys";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  addPasskeyRequestSchema,
  addPasskeyResponseSchema,
  listPasskeysResponseSchema,
} from "@/app/api/account/passkeys/schemas";

/** The signed-in user's passkeys. */
export const GET = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  return answer(listPasskeysResponseSchema, { passkeys: await listPasskeys(session.userId) });
});

/** Adds a passkey to the signed-in user's account, answering a challenge from ./options. */
export const POST = apiRoute(async (req, { request }) => {
  const { session } = await requireAccess("signed-in");
  const body = await parseBody(addPasskeyRequestSchema, req);
  const passkey = await addPasskey({
    userId: session.userId,
    authTime: session.authTime,
    responseJson: JSON.stringify(body.response),
    name: body.name,
    userAgent: request.userAgent,
  });
  return answer(addPasskeyResponseSchema, { passkey }, { status: 201 });
});
