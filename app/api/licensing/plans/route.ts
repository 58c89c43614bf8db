import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { createLicensePlan } from "@/lib/licensing/create-license-plan";
import { listLicensePlans } from "@/lib/licensing/list-license-plans";
import { licensePlanInputSchema } from "@/lib/licensing/license-plan-input";

/** The plans on offer (anyone signed in may see them). */
export const GET = apiRoute(async () => {
  await requireAccess("signed-in");
  return Response.json({ plans: await listLicensePlans() });
});

/** An org admin offers a new plan. */
export const POST = apiRoute(async (req) => {
  const { session } = await requireAccess({ role: "ORG_ADMIN" });
  const input = licensePlanInputSchema.parse(await readJson(req));
  return Response.json(await createLicensePlan(input, { type: "user", id: session.userId }), { status: 201 });
});
