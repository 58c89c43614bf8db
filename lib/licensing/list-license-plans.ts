import "server-only";
import { db } from "@/lib/db/client";
import { licensePlanView } from "@/lib/licensing/license-plan-view";

/** Plans on offer (or all, for the admin page), cheapest first. */
export async function listLicensePlans(opts: { includeArchived?: boolean } = {}) {
  const plans = await db().licensePlan.findMany({
    where: opts.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ priceMinor: "asc" }, { createdAt: "asc" }],
  });
  return plans.map(licensePlanView);
}
