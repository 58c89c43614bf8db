import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { addPasskey } from "@/lib/auth/add-passkey";
import { listPasskeys } from "@/lib/auth/list-passkeys";

const bodySchema = z.object({ response: z.unknown(), name: z.string().optional() });

/** The signed-in user's passkeys. */
export const GET = apiRoute(async () => {
  const { session } = await requireAccess("signed-in");
  return Response.json({ passkeys: await listPasskeys(session.userId) });
});

/** Adds a passkey to the signed-in user's account, answering a challenge from ./options. */
export const POST = apiRoute(async (req, { request }) => {
  const { session } = await requireAccess("signed-in");
  const body = bodySchema.parse(await readJson(req));
  const passkey = await addPasskey({
    userId: session.userId,
    authTime: session.authTime,
    responseJson: JSON.stringify(body.response),
    name: body.name,
    userAgent: request.userAgent,
  });
  return Response.json(
    { passkey: { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt } },
    { status: 201 },
  );
});
