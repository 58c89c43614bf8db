import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";
import type { SplitPolicyInput } from "@/lib/splits/split-policy-schema";
import { userActor } from "@/lib/access/actor";

const numeric = ["theaterBps", "developersFundBps", "hostsBps", "orgBps", "orgFixedMinor", "developersFundFixedMinor"];

export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const body = await readFormOrJson(req);
  for (const k of numeric) if (typeof body[k] === "string" && body[k] !== "") body[k] = Number(body[k]);
  if (body.note === "") delete body.note;
  // The actor last: a body's own "actor" field must not name someone else.
  const policy = await createSplitPolicy({ ...(body as SplitPolicyInput), actor: userActor(session.userId) });
  return respond(req, policy, "/finance/policies", 201);
});
