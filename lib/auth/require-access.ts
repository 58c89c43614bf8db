import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { requireSession, type CurrentSession } from "@/lib/auth/get-current-session";
import { getUserAccess, type UserAccess } from "@/lib/access/user-access";
import { meets, type Requirement } from "@/lib/access/permission";

import type { UserActor } from "@/lib/access/actor";

/** The signed-in user: their session, their access, and the actor domain operations take. */
export type Authorized = { session: CurrentSession; access: UserAccess; actor: UserActor };

/** The one way the portal names a signed-in user as the actor of what they ask. */
export function authorized(session: CurrentSession, access: UserAccess): Authorized {
  return { session, access, actor: { type: "user", id: session.userId, access } };
}

/**
 * The server-side check at the edge of every route handler and server action:
 * signed in (else UNAUTHENTICATED) and meeting the requirement (else
 * FORBIDDEN). Domain operations check again inside their transaction
 * (assertPermitted in lib/access/permission.ts).
 */
export async function requireAccess(requirement: Requirement): Promise<Authorized> {
  const session = await requireSession();
  const access = await getUserAccess(session.userId);
  if (!meets(access, requirement)) {
    throw new AppError("FORBIDDEN", { userMessage: "You do not have permission to do that." });
  }
  return authorized(session, access);
}
