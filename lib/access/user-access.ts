import "server-only";
import { db } from "@/lib/db/client";
import type { GlobalRole, MembershipRole } from "@/lib/generated/prisma/client";

export type UserAccess = {
  userId: string;
  roles: GlobalRole[];
  memberships: { orgId: string; slug: string; name: string; kind: "THEATER" | "HOST"; role: MembershipRole }[];
};

/** What a user may do: their umbrella-wide roles and their per-organization roles. */
export async function getUserAccess(userId: string): Promise<UserAccess> {
  const [roles, memberships] = await Promise.all([
    db().userRole.findMany({ where: { userId }, select: { role: true } }),
    db().membership.findMany({
      where: { userId },
      include: { org: { select: { slug: true, name: true, kind: true } } },
    }),
  ]);
  return {
    userId,
    roles: roles.map((r) => r.role),
    memberships: memberships.map((m) => ({
      orgId: m.orgId,
      slug: m.org.slug,
      name: m.org.name,
      kind: m.org.kind,
      role: m.role,
    })),
  };
}

export function hasRole(access: UserAccess, role: GlobalRole): boolean {
  return access.roles.includes(role);
}

export function hasMembership(access: UserAccess, orgId: string, role: MembershipRole): boolean {
  return access.memberships.some((m) => m.orgId === orgId && m.role === role);
}
