import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { auditActorOf as actorInAudit, type Actor, type UserActor } from "@/lib/access/actor";
import { hasMembership, hasRole, type UserAccess } from "@/lib/access/user-access";
import type { MembershipRole, OrgKind } from "@/lib/generated/prisma/client";

/**
 * Who is asking for an organization or role change: an Actor whose access
 * was read, a signed-in user with their roles and memberships, or the system
 * itself (the operator CLI, the seed, a governance outcome), which holds
 * every right because it already holds the database.
 */
export type Principal = (UserActor & { access: UserAccess }) | { type: "system"; id: string };

export function userPrincipal(auth: { session: { userId: string }; access: UserAccess }): Principal {
  return { type: "user", id: auth.session.userId, access: auth.access };
}

export const cliPrincipal: Principal = { type: "system", id: "cli" };

export function auditActorOf(p: Principal): Actor {
  return actorInAudit(p.type === "user" ? { type: "user", id: p.id } : p);
}

export function isOrgAdmin(p: Principal): boolean {
  return p.type === "system" || hasRole(p.access, "ORG_ADMIN");
}

/** The one membership role each kind of organization has. */
export function managerRoleOf(kind: OrgKind): MembershipRole {
  return kind === "THEATER" ? "THEATER_ADMIN" : "HOST_OPERATOR";
}

/** Org admins manage every organization; a theater admin their theater, a host operator their host. */
export function canManageOrg(p: Principal, org: { id: string; kind: OrgKind }): boolean {
  return isOrgAdmin(p) || (p.type === "user" && hasMembership(p.access, org.id, managerRoleOf(org.kind)));
}

export function canViewOrg(p: Principal, org: { id: string }): boolean {
  return isOrgAdmin(p) || (p.type === "user" && p.access.memberships.some((m) => m.orgId === org.id));
}

const forbidden = () => new AppError("FORBIDDEN", { userMessage: "You do not have permission to do that." });

export function assertOrgAdmin(p: Principal): void {
  if (!isOrgAdmin(p)) throw forbidden();
}

export function assertCanManageOrg(p: Principal, org: { id: string; kind: OrgKind }): void {
  if (!canManageOrg(p, org)) throw forbidden();
}
