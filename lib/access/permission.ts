import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { GlobalRole, MembershipRole } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/access/actor";
import { hasMembership, hasRole, type UserAccess } from "@/lib/access/user-access";
import type { FailureReason } from "@/lib/errors/app-error";

export type Requirement =
  | { role: GlobalRole }
  | { anyRole: GlobalRole[] }
  | { membership: MembershipRole; orgId: string }
  | "signed-in";

export function meets(access: UserAccess, requirement: Requirement): boolean {
  if (requirement === "signed-in") return true;
  if ("role" in requirement) return hasRole(access, requirement.role);
  if ("anyRole" in requirement) return requirement.anyRole.some((r) => hasRole(access, r));
  return hasMembership(access, requirement.orgId, requirement.membership);
}

export type Refusal = { userMessage: string; reason?: FailureReason };

const defaultRefusal: Refusal = { userMessage: "You do not have permission to do that." };

/**
 * The one permission check of a domain operation, run inside the
 * transaction that acts, so a role revoked a moment earlier is already gone:
 * - system: Guildhall itself holds every right (it already holds the database);
 * - client: holds no role and no membership (its scopes are checked where it
 *   authenticates);
 * - user: holds the role or the membership now, and is not disabled (a
 *   disabled user's credentials are ended when they are disabled; this also
 *   refuses one that slipped through, e.g. a user disabled by SQL); through a
 *   theater API token, only a membership in the token's own organization counts.
 * Refuses with FORBIDDEN and the given message and reason.
 */
export async function assertPermitted(
  tx: Tx,
  actor: Actor,
  requirement: Requirement,
  refusal: Refusal = defaultRefusal,
): Promise<void> {
  if (actor.type === "system") return;
  if (actor.type === "client") {
    if (requirement === "signed-in") return;
    throw new AppError("FORBIDDEN", refusal);
  }
  const forbidden = new AppError("FORBIDDEN", refusal);
  const enabled = { disabledAt: null };
  if (requirement === "signed-in") {
    if ((await tx.user.count({ where: { id: actor.id, ...enabled } })) === 0)
      throw new AppError("FORBIDDEN", { userMessage: "This account is disabled.", reason: "ACCOUNT_DISABLED" });
    return;
  }
  if (actor.token && !("orgId" in requirement && requirement.orgId === actor.token.orgId)) throw forbidden;
  if ("role" in requirement || "anyRole" in requirement) {
    const roles = "role" in requirement ? [requirement.role] : requirement.anyRole;
    const held = await tx.userRole.count({ where: { userId: actor.id, role: { in: roles }, user: enabled } });
    if (held === 0) throw forbidden;
    return;
  }
  const membership = await tx.membership.findFirst({
    where: { orgId: requirement.orgId, userId: actor.id, user: enabled },
    select: { role: true },
  });
  if (membership?.role !== requirement.membership) throw forbidden;
}
