import "server-only";
import { db } from "@/lib/db/client";
import { isOrgAdmin, type Principal } from "@/lib/orgs/principal";

/**
 * The organizations a principal may see, with their member counts: every one
 * for an org admin, the ones they belong to for anyone else.
 */
export async function listOrganizations(by: Principal) {
  const where = isOrgAdmin(by) ? {} : { memberships: { some: { userId: by.id } } };
  const orgs = await db().organization.findMany({
    where,
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: { _count: { select: { memberships: true } } },
  });
  return orgs.map((o) => ({
    id: o.id,
    slug: o.slug,
    name: o.name,
    kind: o.kind,
    status: o.status,
    memberCount: o._count.memberships,
    createdAt: o.createdAt,
  }));
}
