import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { CredentialRevoker } from "@/lib/access/credential-revokers";
import { userActor } from "@/lib/access/actor";
import { newId } from "@/lib/ids";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { runSessionEndEffects } from "@/lib/auth/session-end-effects";

export const SESSION_TTL_SECONDS = 30 * 86_400;

export type AuthMethod = "passkey" | "email_code";

/**
 * Starts a session after a successful sign-in and returns its token. The
 * token travels only inside next-auth's encrypted cookie; the database keeps
 * its SHA-256, so a leaked database cannot be replayed as sessions.
 */
export async function createSession(p: {
  userId: string;
  authMethod: AuthMethod;
  userAgent?: string;
  ipAddress?: string;
}) {
  const token = randomToken(32);
  const now = new Date();
  await db().$transaction(async (tx) => {
    const session = await tx.session.create({
      data: {
        id: newId("ses"),
        tokenHash: sha256Hex(token),
        userId: p.userId,
        authMethod: p.authMethod,
        authTime: now,
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
        userAgent: p.userAgent?.slice(0, 300),
        ipAddress: p.ipAddress,
      },
    });
    await tx.user.update({ where: { id: p.userId }, data: { lastLoginAt: now } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: p.userId },
      action: "session.started",
      subject: { type: "session", id: session.id },
      state: { userId: p.userId, authMethod: p.authMethod, expiresAt: session.expiresAt },
      data: { authMethod: p.authMethod },
    });
  });
  return token;
}

/** The live session for a token, with its user, or null. */
export async function findSessionByToken(token: string) {
  const session = await db().session.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { user: true } });
  if (!session || session.expiresAt < new Date() || session.user.disabledAt) return null;
  // Touch at most once a minute: last-seen is for the user's session list, not a write per request.
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await db().session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return session;
}

export async function endSessionByToken(token: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { tokenHash: sha256Hex(token) } });
    if (!session) return;
    await runSessionEndEffects(tx, [{ sessionId: session.id, userId: session.userId }]);
    await tx.session.delete({ where: { id: session.id } });
    await appendAuditEvent(tx, {
      actor: { type: "user", id: session.userId },
      action: "session.ended",
      subject: { type: "session", id: session.id },
      state: { ended: true },
    });
  });
}

/** Ends every session of a user in `tx`, telling the hosts they signed in to (the session-end hooks). */
async function endSessionsOfUser(tx: Tx, userId: string): Promise<number> {
  const ending = await tx.session.findMany({ where: { userId }, select: { id: true } });
  await runSessionEndEffects(
    tx,
    ending.map((s) => ({ sessionId: s.id, userId })),
  );
  const { count } = await tx.session.deleteMany({ where: { userId } });
  return count;
}

/** Signs a user out everywhere, as they ask: every session of theirs ends. */
export async function endAllSessions({ userId }: { userId: string }): Promise<number> {
  return db().$transaction(async (tx) => {
    const count = await endSessionsOfUser(tx, userId);
    await appendAuditEvent(tx, {
      actor: userActor(userId),
      action: "session.ended_everywhere",
      subject: { type: "user", id: userId },
      state: { sessionsEnded: count },
      data: { count },
    });
    return count;
  });
}

/** A disabled user's sessions end (lib/access/credential-revokers.ts). */
export const sessionsRevoker: CredentialRevoker = { kind: "sessions", revoke: endSessionsOfUser };
