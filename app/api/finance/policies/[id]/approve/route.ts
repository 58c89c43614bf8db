import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/finance/policies/[id]/approve/schemas";
import { respond } from "@/lib/http/form-or-json";
import { requireAccess } from "@/lib/auth/require-access";
import { approveSplitPolicy } from "@/lib/splits/approve-split-policy";
import { responseBody } from "@/lib/http/api-contract";
import { splitPolicySchema } from "@/app/api/finance/finance-schemas";

export const POST = apiRoute(
  async (req, { params }) => {
    const { actor } = await requireAccess({ role: "FINANCE" });
    return respond(
      req,
      responseBody(splitPolicySchema, await approveSplitPolicy({ actor, policyId: params.id })),
      "/finance/policies",
    );
  },
  { params: pathParams },
);
