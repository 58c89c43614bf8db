import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getOrganizationBySlugOrThrow } from "@/lib/orgs/get-organization";
import { managerOf, viewerOf } from "@/lib/orgs/org-permissions";
import { permits } from "@/lib/access/permission";
import type { Actor } from "@/lib/access/actor";

/**
 * An organization's page data: its members, and for its managers the
 * pending invitations. Members of the organization and org admins may see
 * it; anyone else gets FORBIDDEN.
 */
export async function getOrganizationDetail({ actor, slug }: { actor: Actor; slug: string }) {
  const org = await getOrganizationBySlugOrThrow(slug);
  if (!(await permits(db(), actor, viewerOf(org))))
    throw new AppError("FORBIDDEN", { userMessage: "You are not a member of this organization." });
  const canManage = await permits(db(), actor, managerOf(org));
  const [members, invitations] = await Promise.all([
    db().membership.findMany({
      where: { orgId: org.id },
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    canManage
      ? db().invitation.findMany({
          where: { orgId: org.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
          orderBy: { createdAt: "desc" },
        })
      : Promise.resolve([]),
  ]);
  return {
    org,
    canManage,
    members: members.map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      since: m.createdAt,
    })),
    invitations,
  };
}
