import { expect, type Page } from "@playwright/test";
import { queryE2e, withE2eLock } from "./database";
import { unsealWithKey } from "../../../lib/crypto/sealed-box";

/** MAIL_CONTENT_PURPOSE of lib/mail/mail-content.ts, which imports the server's configuration and so cannot load here. */
const MAIL_PURPOSE = "mail-content";

/** The text of a stored message: mail is sealed at rest, under the master key playwright.config.ts gave the portal. */
export function mailText(sealedContent: string | null): string {
  if (sealedContent === null) return "";
  const master = Buffer.from(process.env.E2E_MASTER_KEY ?? "", "base64");
  return (JSON.parse(unsealWithKey(MAIL_PURPOSE, sealedContent, master).toString("utf8")) as { text: string }).text;
}

/** The newest code mailed to an address (a sign-in code, or the confirmation code of a sign-up), read from the mail table. */
export async function lastSignInCode(
  email: string,
  template: "sign-in-code" | "verify-email" = "sign-in-code",
): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const rows = await queryE2e<{ sealedContent: string | null }>(
      `SELECT "sealedContent" FROM "MailMessage" WHERE "to" = $1 AND "template" = $2 ORDER BY "createdAt" DESC LIMIT 1`,
      [email.toLowerCase(), template],
    );
    const match = rows[0] && mailText(rows[0].sealedContent).match(/\b(\d{6})\b/);
    if (match) return match[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no sign-in code mailed to ${email}`);
}

/**
 * Runs `fn` as the only email-code sign-in of `email` in the whole run: a new
 * code voids the one before it, so two workers signing in to the same demo
 * account at once would each void the other's code.
 */
export function withSignInLock<T>(email: string, fn: () => Promise<T>): Promise<T> {
  return withE2eLock(`sign-in:${email.toLowerCase()}`, fn);
}

/**
 * Signs the page's browser context in as `email` through the real email-code
 * flow (request a code, read it from the mailbox, post it to next-auth), for
 * tests whose subject is not the sign-in page itself.
 */
export function signInWithEmailCode(page: Page, email: string): Promise<void> {
  return withSignInLock(email, () => signInNow(page, email));
}

async function signInNow(page: Page, email: string): Promise<void> {
  const before = await queryE2e<{ n: string }>(`SELECT count(*) AS n FROM "MailMessage" WHERE "to" = $1`, [
    email.toLowerCase(),
  ]);
  const res = await page.request.post("/api/auth/email-code", { data: { email } });
  expect(res.status(), await res.text()).toBe(200);
  for (let i = 0; i < 50; i++) {
    const now = await queryE2e<{ n: string }>(`SELECT count(*) AS n FROM "MailMessage" WHERE "to" = $1`, [
      email.toLowerCase(),
    ]);
    if (Number(now[0].n) > Number(before[0].n)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const code = await lastSignInCode(email);
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const signIn = await page.request.post("/api/auth/callback/email-code", {
    // A new address's account is made only when asked (a typo must not open one silently); these tests ask.
    form: { email, code, csrfToken, createAccount: "true", json: "true" },
  });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user?.email).toBe(email.toLowerCase());
}
