import { AppError } from "@/lib/errors/app-error";
import { requireSession, type CurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess, hasMembership, hasRole, type UserAccess } from "@/lib/orgs/get-user-access";
import type { GlobalRole, MembershipRole } from "@/lib/generated/prisma/client";

export type Requirement =
  | { role: GlobalRole }
  | { anyRole: GlobalRole[] }
  | { membership: MembershipRole; orgId: string }
  | "signed-in";

export type Authorized = { session: CurrentSession; access: UserAccess };

export function meets(access: UserAccess, requirement: Requirement): boolean {
  if (requirement === "signed-in") return true;
  if ("role" in requirement) return hasRole(access, requirement.role);
  if ("anyRole" in requirement) return requirement.anyRole.some((r) => hasRole(access, r));
  return hasMembership(access, requirement.orgId, requirement.membership);
}

/**
 * The server-side permission check of every route handler and server action:
 * signed in (else UNAUTHENTICATED) and meeting the requirement (else FORBIDDEN).
 */
export async function requireAccess(requirement: Requirement): Promise<Authorized> {
  const session = await requireSession();
  const access = await getUserAccess(session.userId);
  if (!meets(access, requirement)) {
    throw new AppError("FORBIDDEN", { userMessage: "You do not have permission to do that." });
  }
  return { session, access };
}
