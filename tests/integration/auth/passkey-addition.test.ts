// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { limits } from "@/lib/config/limits";
import { addPasskey } from "@/lib/auth/add-passkey";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";
import { findLastMailToOrThrow } from "@/lib/mail/find-last-mail-to";
import { seedUser } from "@/tests/support/factories";
import { removePasskey } from "@/lib/auth/remove-passkey";
import { startBallot } from "@/lib/governance/start-ballot";
import { castBallot } from "@/lib/governance/cast-ballot";
import * as accountPasskeys from "@/app/api/account/passkeys/route";
import * as accountPasskeyOptions from "@/app/api/account/passkeys/options/route";
import { SoftAuthenticator } from "../../support/soft-authenticator";
import { callRoute, sessionCookieFor } from "../../support/route-harness";
import { openRelease, seedVoter, useTestClock, vote } from "../governance/helpers";

useTestClock();

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

  it("no admin's session adds a passkey to another account, over HTTP", async () => {
    const { user: member } = await seedUser();
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN", "FINANCE", "COMMITTER"] });
    const cookie = await sessionCookieFor(admin.id);
    const headers = { cookie, origin: env().publicUrl, "content-type": "application/json" };
    // The options the admin's session gets are for the admin's own account; the member's come from the member's sign-in.
    const optionsRes = await callRoute(accountPasskeyOptions, {
      method: "POST",
      url: "/api/account/passkeys/options",
      headers,
    });
    expect(optionsRes.status).toBe(200);
    expect((await optionsRes.json()).user.name).toBe(admin.email);
    const memberOptions = await startPasskeyRegistration({ userId: member.id, authTime: recent() });
    const response = new SoftAuthenticator(env().publicUrl).register(memberOptions);
    const res = await callRoute(accountPasskeys, {
      method: "POST",
      url: "/api/account/passkeys",
      headers,
      body: JSON.stringify({ response, name: "planted" }),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ reason: "BAD_CHALLENGE" });
    expect(await db().passkey.count({ where: { userId: { in: [member.id, admin.id] } } })).toBe(0);
  });

  it("a passkey planted in an account cannot replace its owner's ballot until the owner has had time to hear of it", async () => {
    const proposer = await seedVoter();
    const owner = await seedVoter();
    const hold = limits.auth.newPasskeyBallotHoldMs;
    // The owner's own passkey, from long before.
    await db().passkey.updateMany({ where: { userId: owner.user.id }, data: { createdAt: signedInAgo(2 * hold) } });
    const p = await openRelease(proposer);
    await vote(owner, p.id, -1, "the artifact is not the one we reviewed");

    // Someone in the owner's account (a session left open) plants a passkey of their own, and the owner is told.
    const intruder = new SoftAuthenticator(env().publicUrl);
    const options = await startPasskeyRegistration({ userId: owner.user.id, authTime: recent() });
    const planted = await addPasskey({
      userId: owner.user.id,
      authTime: recent(),
      responseJson: JSON.stringify(intruder.register(options)),
      name: "planted",
    });
    expect((await findLastMailToOrThrow(owner.user.email, "passkey-added")).content?.text).toContain("first hour");
    const replace = async () => {
      const { ballot, options } = await startBallot({
        proposalId: p.id,
        voterId: owner.user.id,
        choice: 1,
        justification: null,
        digestConfirmed: true,
      });
      const response = intruder.authenticate(options);
      return castBallot({
        proposalId: p.id,
        voterId: owner.user.id,
        input: { choice: 1, justification: null, castAt: ballot.castAt, response },
      });
    };
    const refusal = { code: "FORBIDDEN", reason: "PASSKEY_TOO_NEW" };
    await expect(replace()).rejects.toMatchObject(refusal);
    // Removing the owner's passkey first does not help: their ballot was signed with another one.
    const ownersPasskey = await db().passkey.findFirstOrThrow({
      where: { userId: owner.user.id, id: { not: planted.id } },
    });
    await removePasskey({ userId: owner.user.id, passkeyId: ownersPasskey.id });
    await expect(replace()).rejects.toMatchObject(refusal);
    const ballots = await db().ballot.findMany({ where: { proposalId: p.id, voterId: owner.user.id } });
    expect(ballots.map((b) => b.choice)).toEqual([-1]);

    // Once the hold is over (the owner had their hour), the passkey signs like any other.
    await db().passkey.update({ where: { id: planted.id }, data: { createdAt: signedInAgo(hold + 60_000) } });
    await expect(replace()).resolves.toMatchObject({ binding: true });
  });
});
