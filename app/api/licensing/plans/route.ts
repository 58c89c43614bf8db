import { apiRoute } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { listLicensePlans } from "@/lib/licensing/list-license-plans";
import { answer, parseBody } from "@/lib/http/api-contract";
import { licensePlanInputSchema } from "@/lib/licensing/license-plan-input";
import { licensePlanSchema } from "@/app/api/licensing/licensing-schemas";
import { listPlansResponseSchema } from "@/app/api/licensing/plans/schemas";

/** The plans on offer (anyone signed in may see them). */
export const GET = apiRoute(async () => {
  await requireAccess("signed-in");
  return answer(listPlansResponseSchema, { plans: await listLicensePlans() });
});

/** An org admin offers a new plan. */
export const POST = apiRoute(async (req) => {
  const { actor } = await requireAccess({ role: "ORG_ADMIN" });
  const input = await parseBody(licensePlanInputSchema, req);
  return answer(licensePlanSchema, await createLicensePlan({ ...input, actor }), {
    status: 201,
  });
});
