import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { getOrganizationBySlugOrThrow } from "@/lib/orgs/get-organization";
import { canManageOrg, type Principal } from "@/lib/orgs/principal";

/**
 * The organization whose webhooks are asked about, for someone who manages
 * it (its theater admins or host operators, or an org admin); anyone else,
 * a member without that role included, is FORBIDDEN.
 */
export async function loadManagedOrg(slug: string, by: Principal) {
  const org = await getOrganizationBySlugOrThrow(slug);
  if (!canManageOrg(by, org))
    throw new AppError("FORBIDDEN", {
      userMessage: "Only the organization's managers see and change its webhooks.",
      reason: "NOT_ORG_MANAGER",
    });
  return org;
}
