import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { UserActor } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";

/*
 * Who asks for something on a theater's license is a UserActor: a signed-in
 * user, or the management client with a theater API token (a user actor with
 * `token`: it acts as the admin who made it, for that one theater only).
 */

const notTheaterAdmin = {
  reason: "NOT_THEATER_ADMIN",
  userMessage: "You do not administer the theater that holds this license.",
} as const;

/**
 * Refuses unless the actor's role in the theater (read by the caller in the
 * same statement as the license, null when not a member) makes it the
 * theater's admin, and a token is used for its own theater only (FORBIDDEN,
 * reason NOT_THEATER_ADMIN).
 */
export function assertTheaterAdminRole(actor: UserActor, theaterOrgId: string, role: string | null | undefined): void {
  const inScope = !actor.token || actor.token.orgId === theaterOrgId;
  if (!inScope || role !== "THEATER_ADMIN") throw new AppError("FORBIDDEN", notTheaterAdmin);
}

/** Refuses unless the actor administers the theater (FORBIDDEN, reason NOT_THEATER_ADMIN). */
export async function assertTheaterAdmin(tx: Tx, actor: UserActor, theaterOrgId: string): Promise<void> {
  await assertPermitted(tx, actor, { membership: "THEATER_ADMIN", orgId: theaterOrgId }, notTheaterAdmin);
}
