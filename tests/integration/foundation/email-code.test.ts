import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { requestEmailCode } from "@/lib/auth/request-email-code";
import { verifyEmailCode } from "@/lib/auth/verify-email-code";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { uniqueEmail, seedUser } from "../../support/factories";
import { openedMail } from "@/tests/support/mail";
import { EMAIL_CODE_MAX_ATTEMPTS } from "@/lib/auth/email-codes";
import { defined } from "../../support/defined";

// The sign-in-binding cookie of the browser these tests ask and sign in from (lib/auth/sign-in-binding.ts).
const BROWSER = "test-browser-binding-000000000000000000000";

async function mailedCode(email: string): Promise<string> {
  await drainOutbox();
  const mail = await db().mailMessage.findFirstOrThrow({
    where: { to: email, template: "sign-in-code" },
    orderBy: { createdAt: "desc" },
  });
  expect(mail.transport).toBe("dev-mailbox");
  return defined(openedMail(mail).text.match(/\b(\d{6})\b/))[1];
}

describe("email sign-in codes", () => {
  it("mails a code, stores only its hash, and signs a new address up once, when the person confirms it", async () => {
    const email = uniqueEmail();
    await requestEmailCode({ binding: BROWSER, email: email.toUpperCase() });
    const code = await mailedCode(email);
    const stored = await db().emailCode.findFirstOrThrow({ where: { email } });
    expect(stored.codeHash).not.toContain(code);
    // Issue 12: a mistyped address used to open a new, empty account silently. The right code for an
    // address without an account is refused with NO_ACCOUNT, creates nothing and stays usable.
    const users = await db().user.count();
    await expect(verifyEmailCode({ binding: BROWSER, email, code })).rejects.toMatchObject({
      code: "NOT_FOUND",
      reason: "NO_ACCOUNT",
    });
    expect(await db().user.count()).toBe(users);
    const user = await verifyEmailCode({ binding: BROWSER, email, code, createAccount: true });
    expect(user.email).toBe(email);
    expect(user.emailVerifiedAt).not.toBeNull();
    await expect(verifyEmailCode({ binding: BROWSER, email, code })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "BAD_CODE",
    });
  });

  it("counts wrong guesses and locks the code after EMAIL_CODE_MAX_ATTEMPTS of them, from several addresses", async () => {
    const { user } = await seedUser();
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const code = await mailedCode(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    // One address gets only five wrong guesses at an account; wearing a code out takes several.
    for (let i = 0; i < EMAIL_CODE_MAX_ATTEMPTS; i++)
      await expect(
        verifyEmailCode({
          binding: BROWSER,
          email: user.email,
          code: wrong,
          ipAddress: `203.0.113.${Math.floor(i / 5)}`,
        }),
      ).rejects.toMatchObject({ reason: "BAD_CODE" });
    expect((await db().emailCode.findFirstOrThrow({ where: { email: user.email } })).attempts).toBe(
      EMAIL_CODE_MAX_ATTEMPTS,
    );
    await expect(
      verifyEmailCode({ binding: BROWSER, email: user.email, code, ipAddress: "198.51.100.1" }),
    ).rejects.toMatchObject({
      reason: "BAD_CODE",
    });
  });

  it("replaces an earlier code with a new one", async () => {
    const { user } = await seedUser();
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const first = await mailedCode(user.email);
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const second = await mailedCode(user.email);
    if (first !== second)
      await expect(verifyEmailCode({ binding: BROWSER, email: user.email, code: first })).rejects.toMatchObject({
        reason: "BAD_CODE",
      });
    await expect(verifyEmailCode({ binding: BROWSER, email: user.email, code: second })).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("refuses a disabled account and malformed input without a write", async () => {
    const { user } = await seedUser();
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await requestEmailCode({ binding: BROWSER, email: user.email });
    const code = await mailedCode(user.email);
    await expect(verifyEmailCode({ binding: BROWSER, email: user.email, code })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "ACCOUNT_DISABLED",
    });
    const before = await db().emailCode.count();
    await expect(requestEmailCode({ binding: BROWSER, email: "not an email" })).rejects.toThrow("valid email");
    await expect(verifyEmailCode({ binding: BROWSER, email: user.email, code: "12ab56" })).rejects.toThrow("6 digits");
    expect(await db().emailCode.count()).toBe(before);
  });
});
