import "server-only";
import { db } from "@/lib/db/client";
import { orgAdmin } from "@/lib/orgs/org-permissions";
import { permits } from "@/lib/access/permission";
import type { Actor } from "@/lib/access/actor";

/**
 * The organizations an actor may see, with their member counts: every one
 * for an org admin, the ones they belong to for anyone else.
 */
export async function listOrganizations({ actor }: { actor: Actor }) {
  const where = (await permits(db(), actor, orgAdmin)) ? {} : { memberships: { some: { userId: actor.id } } };
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
