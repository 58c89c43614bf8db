import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createSession, endAllSessions, endSessionByToken, findSessionByToken } from "@/lib/auth/sessions";
import { endSession } from "@/lib/auth/end-session";
import { listSessions } from "@/lib/auth/list-sessions";
import { updateProfile } from "@/lib/auth/update-profile";
import { sha256Hex } from "@/lib/crypto/hash";
import { seedUser } from "../../support/factories";
import { defined } from "../../support/defined";

describe("sessions", () => {
  it("stores only the token's hash and finds the session by the token", async () => {
    const { user } = await seedUser();
    const token = await createSession({
      userId: user.id,
      authMethod: "passkey",
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15",
      ipAddress: "192.0.2.1",
    });
    const row = await db().session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await findSessionByToken(token))?.id).toBe(row.id);
    const [listed] = await listSessions({ userId: user.id, currentSessionId: row.id });
    expect(listed).toMatchObject({ id: row.id, device: "Safari on macOS", current: true, ipAddress: "192.0.2.1" });
  });

  it("ends one session of the owner's, and refuses another user's", async () => {
    const { user: alice } = await seedUser();
    const { user: mallory } = await seedUser();
    const aliceToken = await createSession({ userId: alice.id, authMethod: "passkey" });
    const aliceSession = defined(await findSessionByToken(aliceToken));
    await expect(endSession({ userId: mallory.id, sessionId: aliceSession.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
      reason: "SESSION_NOT_FOUND",
    });
    expect(await findSessionByToken(aliceToken)).not.toBeNull();
    await endSession({ userId: alice.id, sessionId: aliceSession.id });
    expect(await findSessionByToken(aliceToken)).toBeNull();
    const ended = await db().auditEvent.findFirstOrThrow({
      where: { subjectId: aliceSession.id, action: "session.ended" },
    });
    expect(ended.actorId).toBe(alice.id);
  });

  it("signs out everywhere: every session of the user ends, other users' stay", async () => {
    const { user } = await seedUser();
    const { user: other } = await seedUser();
    const tokens = await Promise.all([1, 2, 3].map(() => createSession({ userId: user.id, authMethod: "email_code" })));
    const otherToken = await createSession({ userId: other.id, authMethod: "passkey" });
    expect(await endAllSessions({ userId: user.id })).toBe(3);
    for (const t of tokens) expect(await findSessionByToken(t)).toBeNull();
    expect(await findSessionByToken(otherToken)).not.toBeNull();
    await endSessionByToken(otherToken);
    expect(await findSessionByToken(otherToken)).toBeNull();
  });

  it("refuses a session of a disabled account", async () => {
    const { user } = await seedUser();
    const token = await createSession({ userId: user.id, authMethod: "passkey" });
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await findSessionByToken(token)).toBeNull();
  });

  it("renames the user and records it; refuses an empty name", async () => {
    const { user } = await seedUser();
    await updateProfile({ userId: user.id, name: "  Ada Lovelace " });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Ada Lovelace");
    await expect(updateProfile({ userId: user.id, name: "   " })).rejects.toMatchObject({ name: "ZodError" });
    expect(await db().auditEvent.count({ where: { subjectId: user.id, action: "user.renamed" } })).toBe(1);
  });
});
