import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { castBallot } from "@/lib/governance/cast-ballot";

/** Records a passkey-signed ballot (see lib/governance/cast-ballot.ts for the checks). */
export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess("signed-in");
  const { ballot, binding } = await castBallot(params.id, session.userId, await readJson(req));
  return Response.json({ id: ballot.id, choice: ballot.choice, castAt: ballot.castAt, binding }, { status: 201 });
});
