import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { runSessionEndEffects } from "@/lib/auth/session-end-effects";

/**
 * Ends one of the user's own sessions (a device they no longer use). Someone
 * else's session is NOT_FOUND, the same as one that does not exist.
 */
export async function endSession(input: { userId: string; sessionId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const session = await tx.session.findFirst({
      where: { id: input.sessionId, userId: input.userId },
      select: { id: true },
    });
    if (!session)
      throw new AppError("NOT_FOUND", { userMessage: "No such session on your account.", reason: "SESSION_NOT_FOUND" });
    await runSessionEndEffects(tx, [{ sessionId: session.id, userId: input.userId }]);
    await tx.session.delete({ where: { id: session.id } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: input.userId },
      action: "session.ended",
      subject: { type: "session", id: session.id },
      state: { ended: true },
      data: { by: "owner" },
    });
  });
}
