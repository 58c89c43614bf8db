import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { verifyEmailCode } from "@/lib/auth/verify-email-code";
import { verifyAccountEmail } from "@/lib/auth/verify-account-email";
import { resendVerificationEmail } from "@/lib/auth/resend-verification-email";
import { startSignUp } from "@/lib/auth/start-sign-up";
import { completeSignUp } from "@/lib/auth/complete-sign-up";
import { createSession, findSessionByToken } from "@/lib/auth/sessions";
import { listPasskeys } from "@/lib/auth/list-passkeys";
import { SoftAuthenticator } from "../../support/soft-authenticator";
import { seedUser, uniqueEmail } from "../../support/factories";
import { openedMail } from "@/tests/support/mail";
import { callRoute } from "../../support/route-harness";
import { signInBindingOf } from "@/lib/auth/sign-in-binding";
import * as emailCodeRoute from "@/app/api/auth/email-code/route";
import { defined } from "../../support/defined";

// The sign-in-binding cookie of the browser these tests ask and sign in from (lib/auth/sign-in-binding.ts).
const BROWSER = "test-browser-binding-000000000000000000000";

// Plain code sign-in (mail, hash, single use, five guesses, disabled accounts) is covered by
// tests/integration/foundation/email-code.test.ts; these are the cases auth added.

async function lastCode(email: string): Promise<string> {
  const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email }, orderBy: { createdAt: "desc" } });
  return defined(openedMail(mail).text.match(/\b(\d{6})\b/))[1];
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function signUpUnverified(email: string) {
  const options = await startSignUp({ email, name: "Squatter" });
  return completeSignUp({
    email,
    name: "Squatter",
    responseJson: JSON.stringify(new SoftAuthenticator(env().publicUrl).register(options)),
  });
}

describe("confirming the address of a passkey sign-up", () => {
  it("confirms with the code from the sign-up mail and keeps the passkey", async () => {
    const email = uniqueEmail("confirm");
    const user = await signUpUnverified(email);
    await expect(verifyAccountEmail({ userId: user.id, code: wrongCode(await lastCode(email)) })).rejects.toMatchObject(
      { reason: "BAD_CODE" },
    );
    await verifyAccountEmail({ userId: user.id, code: await lastCode(email) });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
    expect(await listPasskeys(user.id)).toHaveLength(1);
    await expect(resendVerificationEmail({ userId: user.id })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ALREADY_VERIFIED",
    });
  });

  it("lets the address's owner take over an unverified account: its passkeys and sessions are removed", async () => {
    const email = uniqueEmail("victim");
    const squatter = await signUpUnverified(email);
    const squatterSession = await createSession({ userId: squatter.id, authMethod: "passkey" });
    await requestEmailCode({ binding: BROWSER, email });
    const owner = await verifyEmailCode({ binding: BROWSER, email, code: await lastCode(email) });
    expect(owner.id).toBe(squatter.id);
    expect(owner.emailVerifiedAt).not.toBeNull();
    expect(await listPasskeys(owner.id)).toEqual([]);
    expect(await findSessionByToken(squatterSession)).toBeNull();
    const actions = (await db().auditEvent.findMany({ where: { actorId: owner.id }, orderBy: { queued: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions.slice(-3)).toEqual(["passkey.removed", "session.ended_everywhere", "user.email_verified"]);
  });
});

describe("codes bound to the browser that asked for them", () => {
  // Issue 12: a code sent to the victim (or read from their mailbox) worked from any browser.
  it("signs in only from the browser whose binding cookie asked for the code, and another browser's tries do not wear it out", async () => {
    const { user } = await seedUser();
    const asked = await callRoute(emailCodeRoute, {
      method: "POST",
      url: "/api/auth/email-code",
      headers: { "content-type": "application/json", origin: "http://localhost:3999" },
      body: JSON.stringify({ email: user.email }),
    });
    expect(asked.status).toBe(200);
    const setCookie = asked.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    const browser = signInBindingOf(setCookie.split(";")[0]);
    if (!browser) throw new Error(`no binding cookie in ${setCookie}`);
    const code = await lastCode(user.email);
    const stored = await db().emailCode.findFirstOrThrow({
      where: { email: user.email },
      orderBy: { createdAt: "desc" },
    });
    expect(stored.bindingHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.bindingHash).not.toContain(browser);
    const attacker = "attacker-browser-binding-00000000000000000";
    for (let i = 0; i < 3; i++)
      await expect(
        verifyEmailCode({ binding: attacker, email: user.email, code, ipAddress: `203.0.113.${60 + i}` }),
      ).rejects.toMatchObject({ code: "UNAUTHENTICATED", reason: "OTHER_BROWSER" });
    await expect(verifyEmailCode({ binding: undefined, email: user.email, code })).rejects.toMatchObject({
      reason: "OTHER_BROWSER",
    });
    expect((await db().emailCode.findUniqueOrThrow({ where: { id: stored.id } })).attempts).toBe(0);
    expect((await verifyEmailCode({ binding: browser, email: user.email, code })).id).toBe(user.id);
  });

  it("a code that confirms an account's address (bound to its session) does not sign anyone in", async () => {
    const email = uniqueEmail("confirm-only");
    await signUpUnverified(email);
    await expect(
      verifyEmailCode({ binding: BROWSER, email, code: await lastCode(email), createAccount: true }),
    ).rejects.toMatchObject({ reason: "OTHER_BROWSER" });
  });
});

describe("rate limits", () => {
  it("refuses the 6th code request for one address in the window and sends nothing for it", async () => {
    const email = uniqueEmail("limited");
    for (let i = 0; i < 5; i++) await requestEmailCode({ binding: BROWSER, email, ipAddress: `198.51.100.${i}` });
    await expect(requestEmailCode({ binding: BROWSER, email, ipAddress: "198.51.100.99" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      reason: "mail-address",
    });
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(5);
    expect(await db().emailCode.count({ where: { email } })).toBe(5);
  });

  it("refuses the 21st code request from one client address, whatever the recipients", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < 20; i++)
      await requestEmailCode({ binding: BROWSER, email: uniqueEmail(`ip${i}`), ipAddress: ip });
    const email = uniqueEmail("ip-over");
    await expect(requestEmailCode({ binding: BROWSER, email, ipAddress: ip })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      reason: "mail-ip",
    });
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(0);
  });

  // Issue 12: ten wrong codes from anyone locked the holder of the right code out for ten minutes.
  it("slows the address that guesses, never the person who holds the right code", async () => {
    const { user } = await seedUser();
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const code = await lastCode(user.email);
    const guesser = "203.0.113.50";
    for (let i = 0; i < 5; i++)
      await expect(
        verifyEmailCode({ binding: BROWSER, email: user.email, code: wrongCode(code), ipAddress: guesser }),
      ).rejects.toMatchObject({ code: "UNAUTHENTICATED", reason: "BAD_CODE" });
    // The guesser is refused before its next check, even with the right code.
    await expect(
      verifyEmailCode({ binding: BROWSER, email: user.email, code, ipAddress: guesser }),
    ).rejects.toMatchObject({
      code: "RATE_LIMITED",
      reason: "sign-in-failures-account-address",
    });
    expect((await verifyEmailCode({ binding: BROWSER, email: user.email, code, ipAddress: "198.51.100.20" })).id).toBe(
      user.id,
    );
  });

  it("does not lock out an office: a colleague's wrong codes leave the others at that address signing in", async () => {
    const office = "192.0.2.80";
    const { user: mistyper } = await seedUser();
    const { user: colleague } = await seedUser();
    await requestEmailCode({ binding: BROWSER, email: mistyper.email });
    await requestEmailCode({ binding: BROWSER, email: colleague.email });
    const mistypersCode = await lastCode(mistyper.email);
    for (let i = 0; i < 5; i++)
      await expect(
        verifyEmailCode({ binding: BROWSER, email: mistyper.email, code: wrongCode(mistypersCode), ipAddress: office }),
      ).rejects.toMatchObject({ reason: "BAD_CODE" });
    const code = await lastCode(colleague.email);
    expect((await verifyEmailCode({ binding: BROWSER, email: colleague.email, code, ipAddress: office })).id).toBe(
      colleague.id,
    );
  });

  it("refuses an address after many wrong codes across accounts (a guesser trying many)", async () => {
    const guesser = "203.0.113.51";
    for (let i = 0; i < 50; i++)
      await expect(
        verifyEmailCode({ binding: BROWSER, email: uniqueEmail(`spray${i}`), code: "123456", ipAddress: guesser }),
      ).rejects.toMatchObject({ reason: "BAD_CODE" });
    const { user } = await seedUser();
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const code = await lastCode(user.email);
    await expect(
      verifyEmailCode({ binding: BROWSER, email: user.email, code, ipAddress: guesser }),
    ).rejects.toMatchObject({
      code: "RATE_LIMITED",
      reason: "sign-in-failures-address",
    });
    expect((await verifyEmailCode({ binding: BROWSER, email: user.email, code, ipAddress: "198.51.100.21" })).id).toBe(
      user.id,
    );
  });
});
