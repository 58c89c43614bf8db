import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { GlobalRole, MembershipRole } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/access/actor";
import { hasMembership, hasRole, type UserAccess } from "@/lib/access/user-access";
import type { FailureReason } from "@/lib/errors/app-error";

/**
 * What an act needs: an umbrella-wide role (or one of several), a role in one
 * organization (`"any"`: any role there, i.e. being its member), being signed
 * in, or any one of several of these (an org admin, or the organization's own
 * manager).
 */
export type Requirement =
  | { role: GlobalRole }
  | { anyRole: GlobalRole[] }
  | { membership: MembershipRole | "any"; orgId: string }
  | { anyOf: Requirement[] }
  | "signed-in";

/** Whether access already read (at the edge, to decide what a page shows) meets a requirement. */
export function meets(access: UserAccess, requirement: Requirement): boolean {
  if (requirement === "signed-in") return true;
  if ("anyOf" in requirement) return requirement.anyOf.some((r) => meets(access, r));
  if ("role" in requirement) return hasRole(access, requirement.role);
  if ("anyRole" in requirement) return requirement.anyRole.some((r) => hasRole(access, r));
  if (requirement.membership === "any") return access.memberships.some((m) => m.orgId === requirement.orgId);
  return hasMembership(access, requirement.orgId, requirement.membership);
}

export type Refusal = { userMessage: string; reason?: FailureReason };

const defaultRefusal: Refusal = { userMessage: "You do not have permission to do that." };

/**
 * Whether the actor meets the requirement now, read in the given transaction:
 * - system: Guildhall itself holds every right (it already holds the database);
 * - client: holds no role and no membership (its scopes are checked where it
 *   authenticates);
 * - user: holds the role or the membership now, and is not disabled (a
 *   disabled user's credentials are ended when they are disabled; this also
 *   refuses one that slipped through, e.g. a user disabled by SQL); through a
 *   theater API token, only a membership in the token's own organization counts.
 * Access the actor carries (read at the edge) is not trusted here.
 */
export async function permits(tx: Tx, actor: Actor, requirement: Requirement): Promise<boolean> {
  if (actor.type === "system") return true;
  if (actor.type === "client") return requirement === "signed-in";
  const enabled = { disabledAt: null };
  if (requirement === "signed-in") return (await tx.user.count({ where: { id: actor.id, ...enabled } })) > 0;
  if ("anyOf" in requirement) {
    for (const r of requirement.anyOf) if (await permits(tx, actor, r)) return true;
    return false;
  }
  if (actor.token && !("orgId" in requirement && requirement.orgId === actor.token.orgId)) return false;
  if ("role" in requirement || "anyRole" in requirement) {
    const roles = "role" in requirement ? [requirement.role] : requirement.anyRole;
    return (await tx.userRole.count({ where: { userId: actor.id, role: { in: roles }, user: enabled } })) > 0;
  }
  const membership = await tx.membership.findFirst({
    where: { orgId: requirement.orgId, userId: actor.id, user: enabled },
    select: { role: true },
  });
  return requirement.membership === "any" ? membership !== null : membership?.role === requirement.membership;
}

/**
 * The one permission check of a domain operation, run inside the
 * transaction that acts, so a role revoked a moment earlier is already gone
 * (who holds what: `permits` above). Refuses with FORBIDDEN and the given
 * message and reason; a disabled user who needs only to be signed in, with
 * FORBIDDEN and ACCOUNT_DISABLED.
 */
export async function assertPermitted(
  tx: Tx,
  actor: Actor,
  requirement: Requirement,
  refusal: Refusal = defaultRefusal,
): Promise<void> {
  if (await permits(tx, actor, requirement)) return;
  if (requirement === "signed-in")
    throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });
  throw new AppError("FORBIDDEN", refusal);
}
