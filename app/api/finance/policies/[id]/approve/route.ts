import { apiRoute } from "@/lib/http/api-route";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { userActor } from "@/lib/access/actor";
import { approveSplitPolicy } from "@/lib/splits/approve-split-policy";

export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "FINANCE" });
  return respond(
    req,
    await approveSplitPolicy({ actor: userActor(session.userId), policyId: params.id }),
    "/finance/policies",
  );
});
