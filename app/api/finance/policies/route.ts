import { apiRoute } from "@/lib/http/api-route";
import { readFormOrJson, respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";

const numeric = ["theaterBps", "developersFundBps", "hostsBps", "orgBps", "orgFixedMinor", "developersFundFixedMinor"];

export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  const body = await readFormOrJson(req);
  for (const k of numeric) if (typeof body[k] === "string" && body[k] !== "") body[k] = Number(body[k]);
  if (body.note === "") delete body.note;
  const policy = await createSplitPolicy(body as Parameters<typeof createSplitPolicy>[0], {
    type: "user",
    id: session.userId,
  });
  return respond(req, policy, "/finance/policies", 201);
});
