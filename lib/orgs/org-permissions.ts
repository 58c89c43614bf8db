import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/access/actor";
import { assertPermitted, meets, type Refusal, type Requirement } from "@/lib/access/permission";
import type { MembershipRole, OrgKind } from "@/lib/generated/prisma/client";

/**
 * Who may do what with organizations, as requirements of lib/access: org
 * admins manage every organization; a theater admin their theater, a host
 * operator their host; members see their own. Domain operations check them
 * inside their transaction (`assertOrgAdmin`, `assertCanManageOrg`), after
 * loading the organization, so a tampered form naming another organization
 * is refused. `isOrgAdmin`, `canManageOrg` and `canViewOrg` only decide what
 * a page shows, from the access an actor carries from the edge.
 */

/** The one membership role each kind of organization has. */
export function managerRoleOf(kind: OrgKind): MembershipRole {
  return kind === "THEATER" ? "THEATER_ADMIN" : "HOST_OPERATOR";
}

export const orgAdmin: Requirement = { role: "ORG_ADMIN" };

export function managerOf(org: { id: string; kind: OrgKind }): Requirement {
  return { anyOf: [orgAdmin, { membership: managerRoleOf(org.kind), orgId: org.id }] };
}

export function viewerOf(org: { id: string }): Requirement {
  return { anyOf: [orgAdmin, { membership: "any", orgId: org.id }] };
}

/** Whether the access an actor carries meets a requirement; the system meets every one. */
function carries(actor: Actor, requirement: Requirement): boolean {
  if (actor.type === "system") return true;
  return actor.type === "user" && actor.access !== undefined && meets(actor.access, requirement);
}

export function isOrgAdmin(actor: Actor): boolean {
  return carries(actor, orgAdmin);
}

export function canManageOrg(actor: Actor, org: { id: string; kind: OrgKind }): boolean {
  return carries(actor, managerOf(org));
}

export function canViewOrg(actor: Actor, org: { id: string }): boolean {
  return carries(actor, viewerOf(org));
}

const forbidden: Refusal = { userMessage: "You do not have permission to do that." };

export async function assertOrgAdmin(tx: Tx, actor: Actor, refusal: Refusal = forbidden): Promise<void> {
  await assertPermitted(tx, actor, orgAdmin, refusal);
}

export async function assertCanManageOrg(
  tx: Tx,
  actor: Actor,
  org: { id: string; kind: OrgKind },
  refusal: Refusal = forbidden,
): Promise<void> {
  await assertPermitted(tx, actor, managerOf(org), refusal);
}
