import "server-only";
import { requireSession } from "@/lib/auth/get-current-session";
import { AppError } from "@/lib/errors/app-error";
import { authenticateTheaterApiToken } from "@/lib/licensing/theater-api-tokens";
import type { UserActor } from "@/lib/access/actor";

/**
 * The caller of a theater licensing endpoint: the management client's bearer
 * token (`Authorization: Bearer ght_...`), or else the signed-in session.
 * Which theaters it may act on is checked by the domain function.
 */
export async function requireTheaterActor(req: Request): Promise<UserActor> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer (\S+)$/i.exec(authorization);
    if (!match)
      throw new AppError("UNAUTHENTICATED", {
        reason: "BAD_API_TOKEN",
        userMessage: "Use Authorization: Bearer <token>.",
      });
    return authenticateTheaterApiToken(match[1]);
  }
  const session = await requireSession();
  return { type: "user", id: session.userId };
}
