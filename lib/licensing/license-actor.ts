import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { AuditActor } from "@/lib/audit/append-audit-event";

/**
 * Who asks for something on a theater's license: a signed-in user, or the
 * management client with a theater API token (which acts as the admin who
 * made it, for that one theater only).
 */
export type TheaterActor = { userId: string; tokenId?: string; tokenOrgId?: string };

export function auditActorOf(actor: TheaterActor): AuditActor {
  return actor.tokenId ? { type: "client", id: `${actor.tokenId}:${actor.userId}` } : { type: "user", id: actor.userId };
}

/**
 * Refuses unless the actor's role in the theater (read by the caller, null
 * when not a member) makes it the theater's admin, and a token is used for its
 * own theater only (FORBIDDEN, reason NOT_THEATER_ADMIN).
 */
export function assertTheaterAdminRole(actor: TheaterActor, theaterOrgId: string, role: string | null | undefined): void {
  const inScope = !actor.tokenOrgId || actor.tokenOrgId === theaterOrgId;
  if (!inScope || role !== "THEATER_ADMIN") {
    throw new AppError("FORBIDDEN", { reason: "NOT_THEATER_ADMIN", userMessage: "You do not administer the theater that holds this license." });
  }
}

/** Refuses unless the actor administers the theater (FORBIDDEN, reason NOT_THEATER_ADMIN). */
export async function assertTheaterAdmin(tx: Tx, actor: TheaterActor, theaterOrgId: string): Promise<void> {
  const inScope = !actor.tokenOrgId || actor.tokenOrgId === theaterOrgId;
  const membership = inScope ? await tx.membership.findUnique({ where: { orgId_userId: { orgId: theaterOrgId, userId: actor.userId } }, select: { role: true } }) : null;
  assertTheaterAdminRole(actor, theaterOrgId, membership?.role);
}
