import { db } from "@/lib/db/client";

/** Plans on offer (or all, for the admin page), cheapest first. */
export async function listLicensePlans(opts: { includeArchived?: boolean } = {}) {
  return db().licensePlan.findMany({ where: opts.includeArchived ? {} : { archivedAt: null }, orderBy: [{ priceMinor: "asc" }, { createdAt: "asc" }] });
}
