import { describe, expect, it } from "vitest";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { nextAuthOptions } from "@/lib/auth/next-auth-options";
import { createSession, endAllSessions } from "@/lib/auth/sessions";
import { seedUser } from "@/tests/support/factories";

/**
 * What /api/auth/session answers is read by the page's JavaScript (issue 12:
 * it carried the raw session token, so a script injected into a page could
 * take the session elsewhere). It names the signed-in person and nothing that
 * signs in.
 */
async function sessionEndpointFor(sessionToken: string) {
  const callback = nextAuthOptions().callbacks?.session;
  if (!callback) throw new Error("next-auth options have no session callback");
  const session: Session = { user: { name: null, email: null }, expires: new Date(Date.now() + 60_000).toISOString() };
  const token: JWT = { sessionToken };
  // next-auth's callback type is a union over the session strategy; this portal uses JWTs.
  return (callback as (p: { session: Session; token: JWT }) => Promise<Session>)({ session, token });
}

describe("/api/auth/session", () => {
  it("answers the signed-in person without the session token", async () => {
    const { user } = await seedUser({ name: "Ada" });
    const sessionToken = await createSession({ userId: user.id, authMethod: "email_code" });
    const answer = await sessionEndpointFor(sessionToken);
    expect(answer).toEqual({ user: { email: user.email, name: "Ada" }, expires: expect.any(String) });
    expect(JSON.stringify(answer)).not.toContain(sessionToken);
  });

  it("answers nothing for a session that ended, nor for another account's stale cookie", async () => {
    const { user } = await seedUser();
    const sessionToken = await createSession({ userId: user.id, authMethod: "email_code" });
    await endAllSessions({ userId: user.id });
    expect(await sessionEndpointFor(sessionToken)).toEqual({});
    expect(await sessionEndpointFor("not-a-session-token")).toEqual({});
  });
});
