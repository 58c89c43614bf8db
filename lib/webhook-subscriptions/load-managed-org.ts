import "server-only";
import { getOrganizationBySlugOrThrow } from "@/lib/orgs/get-organization";
import { assertCanManageOrg } from "@/lib/orgs/org-permissions";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";

/**
 * The organization whose webhooks are asked about, for someone who manages
 * it (its theater admins or host operators, or an org admin); anyone else,
 * a member without that role included, is FORBIDDEN.
 */
export async function loadManagedOrg({ slug, actor: by }: { slug: string; actor: Actor }) {
  const org = await getOrganizationBySlugOrThrow(slug);
  await assertCanManageOrg(db(), by, org, {
    userMessage: "Only the organization's managers see and change its webhooks.",
    reason: "NOT_ORG_MANAGER",
  });
  return org;
}
