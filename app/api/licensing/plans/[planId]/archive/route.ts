import { apiRoute } from "@/lib/http/api-route";
import { pathParams } from "@/app/api/licensing/plans/[planId]/archive/schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { archiveLicensePlan } from "@/lib/licensing/archive-license-plan";
import { answer } from "@/lib/http/api-contract";
import { licensePlanSchema } from "@/app/api/licensing/licensing-schemas";

/** An org admin stops offering a plan. */
export const POST = apiRoute(
  async (_req, { params }) => {
    const { actor } = await requireAccess({ role: "ORG_ADMIN" });
    return answer(licensePlanSchema, await archiveLicensePlan({ planId: params.planId, actor }));
  },
  { params: pathParams },
);
