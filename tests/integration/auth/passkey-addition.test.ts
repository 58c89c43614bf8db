import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { limits } from "@/lib/config/limits";
import { addPasskey } from "@/lib/auth/add-passkey";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";
import { findLastMailToOrThrow } from "@/lib/mail/find-last-mail-to";
import { seedUser } from "@/tests/support/factories";
import { SoftAuthenticator } from "../../support/soft-authenticator";

/**
 * Issue 12: a passkey is a way in that outlives every session, and signs the
 * account's ballots. Adding one needs the account's own recent sign-in, not
 * just an open session, and the owner is told by mail.
 */
const signedInAgo = (ms: number) => new Date(Date.now() - ms);
const stale = () => signedInAgo(limits.auth.recentAuthenticationMs + 60_000);
const recent = () => signedInAgo(limits.auth.recentAuthenticationMs - 60_000);

describe("adding a passkey", () => {
  it("refuses a session that signed in too long ago, at both steps, storing nothing", async () => {
    const { user } = await seedUser();
    await expect(startPasskeyRegistration({ userId: user.id, authTime: stale() })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "REAUTH_REQUIRED",
    });
    expect(await db().webAuthnChallenge.count({ where: { userId: user.id } })).toBe(0);

    // A challenge from a recent sign-in does not help a stale session finish the registration.
    const options = await startPasskeyRegistration({ userId: user.id, authTime: recent() });
    const response = JSON.stringify(new SoftAuthenticator(env().publicUrl).register(options));
    await expect(addPasskey({ userId: user.id, authTime: stale(), responseJson: response })).rejects.toMatchObject({
      reason: "REAUTH_REQUIRED",
    });
    expect(await db().passkey.count({ where: { userId: user.id } })).toBe(0);
  });

  it("adds one on a recent sign-in and tells the account's owner by mail", async () => {
    const { user } = await seedUser();
    const options = await startPasskeyRegistration({ userId: user.id, authTime: recent() });
    const response = JSON.stringify(new SoftAuthenticator(env().publicUrl).register(options));
    const passkey = await addPasskey({ userId: user.id, authTime: recent(), responseJson: response, name: "Phone" });
    expect(passkey.userId).toBe(user.id);
    const notice = await findLastMailToOrThrow(user.email, "passkey-added");
    expect(notice.content?.text).toContain("Phone");
  });

  it("refuses a recent sign-in of another account: the challenge belongs to the account it was issued to", async () => {
    const { user: owner } = await seedUser();
    const { user: other } = await seedUser({ roles: ["ORG_ADMIN"] });
    const options = await startPasskeyRegistration({ userId: owner.id, authTime: recent() });
    const response = JSON.stringify(new SoftAuthenticator(env().publicUrl).register(options));
    await expect(addPasskey({ userId: other.id, authTime: recent(), responseJson: response })).rejects.toMatchObject({
      reason: "BAD_CHALLENGE",
    });
    expect(await db().passkey.count({ where: { userId: { in: [owner.id, other.id] } } })).toBe(0);
  });
});
