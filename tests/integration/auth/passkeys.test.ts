import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { startSignUp } from "@/lib/auth/start-sign-up";
import { completeSignUp } from "@/lib/auth/complete-sign-up";
import { startPasskeySignIn } from "@/lib/auth/start-passkey-sign-in";
import { verifyPasskeySignIn } from "@/lib/auth/verify-passkey-sign-in";
import { startPasskeyRegistration } from "@/lib/auth/start-passkey-registration";
import { addPasskey } from "@/lib/auth/add-passkey";
import { renamePasskey } from "@/lib/auth/rename-passkey";
import { removePasskey } from "@/lib/auth/remove-passkey";
import { listPasskeys } from "@/lib/auth/list-passkeys";
import { verifyPasskeyAssertion, parseAuthenticationResponse } from "@/lib/auth/verify-passkey-assertion";
import { storeChallenge } from "@/lib/auth/webauthn-challenges";
import { generateAuthenticationOptions } from "@simplewebauthn/server";
import { SoftAuthenticator } from "../../support/soft-authenticator";
import { uniqueEmail } from "../../support/factories";
import { openedMail } from "@/tests/support/mail";

const origin = () => env().publicUrl;

async function signUp(label = "signup") {
  const authenticator = new SoftAuthenticator(origin());
  const email = uniqueEmail(label);
  const options = await startSignUp({ email, name: "Pat Passkey" });
  const user = await completeSignUp({
    email,
    name: "Pat Passkey",
    responseJson: JSON.stringify(authenticator.register(options)),
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
  });
  return { user, email, authenticator };
}

async function signInResponse(authenticator: SoftAuthenticator, opts: { origin?: string } = {}) {
  const options = await startPasskeySignIn({});
  return JSON.stringify(authenticator.authenticate(options, opts));
}

async function auditActions(subjectIds: string[]) {
  const rows = await db().auditEvent.findMany({ where: { subjectId: { in: subjectIds } }, orderBy: { queued: "asc" } });
  return rows.map((r) => r.action);
}

describe("passkey sign-up", () => {
  it("creates an unverified account with its first passkey, records both, and mails a confirmation code", async () => {
    const { user, email } = await signUp();
    expect(user.email).toBe(email);
    expect(user.emailVerifiedAt).toBeNull();
    const passkeys = await listPasskeys(user.id);
    expect(passkeys).toHaveLength(1);
    expect(passkeys[0].name).toBe("Chrome on Linux");
    expect(await auditActions([user.id, passkeys[0].id])).toEqual(["user.created", "passkey.added"]);
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } });
    expect(mail.template).toBe("verify-email");
    expect(openedMail(mail).text).toMatch(/\b\d{6}\b/);
  });

  it("refuses an address that already has an account, at both steps", async () => {
    const { email } = await signUp();
    await expect(startSignUp({ email: email.toUpperCase(), name: "Other" })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "EMAIL_TAKEN",
    });
    // A sign-up begun before the address was taken cannot finish either.
    const second = uniqueEmail("race");
    const options = await startSignUp({ email: second, name: "First" });
    const authenticator = new SoftAuthenticator(origin());
    const otherOptions = await startSignUp({ email: second, name: "Second" });
    await completeSignUp({
      email: second,
      name: "First",
      responseJson: JSON.stringify(authenticator.register(options)),
    });
    await expect(
      completeSignUp({
        email: second,
        name: "Second",
        responseJson: JSON.stringify(new SoftAuthenticator(origin()).register(otherOptions)),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "EMAIL_TAKEN" });
    expect(await db().user.count({ where: { email: second } })).toBe(1);
  });

  it("refuses a registration signed for another origin and changes nothing", async () => {
    const email = uniqueEmail("origin");
    const options = await startSignUp({ email, name: "Eve" });
    const response = new SoftAuthenticator(origin()).register(options, { origin: "https://evil.example" });
    await expect(completeSignUp({ email, name: "Eve", responseJson: JSON.stringify(response) })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "BAD_ATTESTATION",
    });
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("refuses an authenticator that did not verify the user", async () => {
    const email = uniqueEmail("nouv");
    const options = await startSignUp({ email, name: "Nu" });
    const authenticator = new SoftAuthenticator(origin());
    authenticator.userVerified = false;
    await expect(
      completeSignUp({ email, name: "Nu", responseJson: JSON.stringify(authenticator.register(options)) }),
    ).rejects.toMatchObject({ reason: "BAD_ATTESTATION" });
  });
});

describe("passkey sign-in", () => {
  it("signs in with a discoverable passkey and records its use", async () => {
    const { user, authenticator } = await signUp();
    const signedIn = await verifyPasskeySignIn({ responseJson: await signInResponse(authenticator) });
    expect(signedIn.id).toBe(user.id);
    const [passkey] = await db().passkey.findMany({ where: { userId: user.id } });
    expect(passkey.lastUsedAt).not.toBeNull();
    expect(passkey.counter).toBe(1n);
  });

  it("refuses a replayed assertion (the challenge is single-use)", async () => {
    const { authenticator } = await signUp();
    const response = await signInResponse(authenticator);
    await verifyPasskeySignIn({ responseJson: response });
    await expect(verifyPasskeySignIn({ responseJson: response })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "BAD_CHALLENGE",
    });
  });

  it("refuses an assertion made for another origin, an unknown passkey, and garbage", async () => {
    const { authenticator } = await signUp();
    await expect(
      verifyPasskeySignIn({ responseJson: await signInResponse(authenticator, { origin: "https://evil.example" }) }),
    ).rejects.toMatchObject({ reason: "BAD_SIGNATURE" });
    const stranger = new SoftAuthenticator(origin());
    stranger.register(await startSignUp({ email: uniqueEmail("never"), name: "Never finished" }));
    await expect(verifyPasskeySignIn({ responseJson: await signInResponse(stranger) })).rejects.toMatchObject({
      reason: "UNKNOWN_PASSKEY",
    });
    await expect(verifyPasskeySignIn({ responseJson: "{not json" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses a sign-in challenge used for a ballot, and a ballot signed by another member's passkey", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const signInOptions = await startPasskeySignIn({});
    const asBallot = alice.authenticator.authenticate(signInOptions);
    await expect(
      db().$transaction((tx) =>
        verifyPasskeyAssertion(tx, { response: asBallot, purpose: "ballot", userId: alice.user.id }),
      ),
    ).rejects.toMatchObject({ reason: "BAD_CHALLENGE" });

    const ballotOptions = await generateAuthenticationOptions({
      rpID: new URL(origin()).hostname,
      userVerification: "required",
    });
    await storeChallenge({ challenge: ballotOptions.challenge, purpose: "ballot", userId: alice.user.id });
    // Bob signs the challenge issued for Alice's ballot: his passkey is not hers.
    const bobsSignature = parseAuthenticationResponse(JSON.stringify(bob.authenticator.authenticate(ballotOptions)));
    await expect(
      db().$transaction((tx) =>
        verifyPasskeyAssertion(tx, { response: bobsSignature, purpose: "ballot", userId: alice.user.id }),
      ),
    ).rejects.toMatchObject({ reason: "WRONG_PASSKEY" });
    // The refusal rolled back: the challenge is still there for Alice, and her own signature verifies.
    const alicesSignature = parseAuthenticationResponse(
      JSON.stringify(alice.authenticator.authenticate(ballotOptions)),
    );
    const verified = await db().$transaction((tx) =>
      verifyPasskeyAssertion(tx, { response: alicesSignature, purpose: "ballot", userId: alice.user.id }),
    );
    expect(verified.user.id).toBe(alice.user.id);
  });
});

describe("passkey sign-in limits", () => {
  // Issue 12: the sign-in page's background passkey request counted against the address's sign-in limit, so a
  // fresh browser behind a busy office address opened on "Too many attempts".
  it("does not count the sign-in page's background passkey requests against signing in", async () => {
    const office = "203.0.113.31";
    const { authenticator } = await signUp("office");
    for (let i = 0; i < 31; i++) await startPasskeySignIn({ ipAddress: office });
    const options = await startPasskeySignIn({ ipAddress: office });
    const response = JSON.stringify(authenticator.authenticate(options));
    expect((await verifyPasskeySignIn({ responseJson: response, ipAddress: office })).email).toBeTruthy();
  });

  it("slows the address that fails with a passkey, not its owner elsewhere", async () => {
    const { authenticator } = await signUp("per-key");
    const attacker = "203.0.113.33";
    const options = await startPasskeySignIn({});
    const bad = JSON.stringify(authenticator.authenticate(options, { origin: "https://evil.example" }));
    for (let i = 0; i < 5; i++)
      await expect(verifyPasskeySignIn({ responseJson: bad, ipAddress: attacker })).rejects.toMatchObject({
        code: "UNAUTHENTICATED",
      });
    await expect(
      verifyPasskeySignIn({ responseJson: await signInResponse(authenticator), ipAddress: attacker }),
    ).rejects.toMatchObject({ code: "RATE_LIMITED", reason: "sign-in-failures-account-address" });
    const owner = await verifyPasskeySignIn({
      responseJson: await signInResponse(authenticator),
      ipAddress: "198.51.100.33",
    });
    expect(owner.email).toBeTruthy();
  });
});

/** The sign-in time of a session that signed in a moment ago (adding a passkey needs a recent one). */
const justNow = () => new Date();

describe("managing passkeys", () => {
  it("adds a second passkey, renames and removes one, each recorded in the audit chain", async () => {
    const { user, authenticator } = await signUp();
    const second = new SoftAuthenticator(origin());
    const options = await startPasskeyRegistration({ userId: user.id, authTime: justNow() });
    expect(options.excludeCredentials).toHaveLength(1);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    const added = await addPasskey({
      userId: user.id,
      authTime: justNow(),
      responseJson: JSON.stringify(second.register(options)),
      name: "Laptop",
    });
    expect((await listPasskeys(user.id)).map((p) => p.name)).toEqual(["Chrome on Linux", "Laptop"]);

    // Both passkeys sign in to the same account.
    expect((await verifyPasskeySignIn({ responseJson: await signInResponse(second) })).id).toBe(user.id);
    expect((await verifyPasskeySignIn({ responseJson: await signInResponse(authenticator) })).id).toBe(user.id);

    await renamePasskey({ userId: user.id, passkeyId: added.id, name: "  Work laptop " });
    await removePasskey({ userId: user.id, passkeyId: added.id });
    expect((await listPasskeys(user.id)).map((p) => p.name)).toEqual(["Chrome on Linux"]);
    expect(await auditActions([added.id])).toEqual(["passkey.added", "passkey.renamed", "passkey.removed"]);
    const notices = await db().mailMessage.findMany({
      where: { to: user.email, template: { in: ["passkey-added", "passkey-removed"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(notices.map((m) => m.template)).toEqual(["passkey-added", "passkey-removed"]);
    await expect(verifyPasskeySignIn({ responseJson: await signInResponse(second) })).rejects.toMatchObject({
      reason: "UNKNOWN_PASSKEY",
    });
  });

  it("refuses another user's passkey and another user's registration challenge", async () => {
    const alice = await signUp("alice");
    const mallory = await signUp("mallory");
    const [alicesPasskey] = await listPasskeys(alice.user.id);
    await expect(
      renamePasskey({ userId: mallory.user.id, passkeyId: alicesPasskey.id, name: "mine" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", reason: "PASSKEY_NOT_FOUND" });
    await expect(removePasskey({ userId: mallory.user.id, passkeyId: alicesPasskey.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listPasskeys(alice.user.id)).toEqual([alicesPasskey]);

    // Mallory cannot attach her authenticator to Alice's account with a challenge issued to Alice.
    const alicesOptions = await startPasskeyRegistration({ userId: alice.user.id, authTime: justNow() });
    const response = JSON.stringify(new SoftAuthenticator(origin()).register(alicesOptions));
    await expect(
      addPasskey({ userId: mallory.user.id, authTime: justNow(), responseJson: response }),
    ).rejects.toMatchObject({
      reason: "BAD_CHALLENGE",
    });
  });

  it("refuses a sign-up challenge for adding a passkey, and a passkey registered twice", async () => {
    const { user, authenticator } = await signUp();
    const signUpOptions = await startSignUp({ email: uniqueEmail("x"), name: "X" });
    await expect(
      addPasskey({
        userId: user.id,
        authTime: justNow(),
        responseJson: JSON.stringify(new SoftAuthenticator(origin()).register(signUpOptions)),
      }),
    ).rejects.toMatchObject({ reason: "BAD_CHALLENGE" });

    // The same credential presented again (an authenticator ignoring excludeCredentials).
    const options = await startPasskeyRegistration({ userId: user.id, authTime: justNow() });
    const again = authenticator.register(options, { reuse: authenticator.credentials[0] });
    await expect(
      addPasskey({ userId: user.id, authTime: justNow(), responseJson: JSON.stringify(again) }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "PASSKEY_EXISTS",
    });
    expect(await listPasskeys(user.id)).toHaveLength(1);
  });
});
