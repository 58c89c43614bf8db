import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { renamePasskey } from "@/lib/auth/rename-passkey";
import { removePasskey } from "@/lib/auth/remove-passkey";

type Params = { passkeyId: string };
const bodySchema = z.object({ name: z.string() });

/** Renames one of the signed-in user's passkeys (another user's is 404). */
export const PATCH = apiRoute<Params>(async (req, { params }) => {
  const { session } = await requireAccess("signed-in");
  const { name } = bodySchema.parse(await readJson(req));
  const passkey = await renamePasskey({ userId: session.userId, passkeyId: params.passkeyId, name });
  return Response.json({ passkey: { id: passkey.id, name: passkey.name } });
});

/** Removes one of the signed-in user's passkeys (another user's is 404). */
export const DELETE = apiRoute<Params>(async (_req, { params }) => {
  const { session } = await requireAccess("signed-in");
  await removePasskey({ userId: session.userId, passkeyId: params.passkeyId });
  return new Response(null, { status: 204 });
});
