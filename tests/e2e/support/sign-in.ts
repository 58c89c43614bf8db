import { expect, request, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { baseURL } from "../../../playwright.config";
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
  return withSignInLock(email, () => signInNow(page.request, email));
}

type SessionCookies = Awaited<ReturnType<APIRequestContext["storageState"]>>["cookies"];
/** This worker's session of each account tests share, by address: see useSharedSession. */
const sharedSessions = new Map<string, Promise<SessionCookies>>();

/**
 * Signs the page's browser context in with this worker's session of `email`:
 * the first test of the worker that asks for the account signs in through the
 * real email-code flow (as signInWithEmailCode does, in a request context of
 * its own); later ones get that session's cookies. Most tests are about what
 * a signed-in person does, not how they signed in, and one sign-in per account
 * and worker instead of one per test takes the sign-ins, and their waits on
 * the per-account lock, out of the run's time.
 *
 * A worker runs one test at a time, so the session is never used by two at
 * once; but it outlives the test. A test that ends its session (signs out,
 * logs out at the OpenID provider, ends sessions), depends on how or when it
 * signed in (auth_time, a recent sign-in to add a passkey), or is about
 * signing in, uses signInWithEmailCode and a session of its own.
 */
export async function useSharedSession(page: Page, email: string): Promise<void> {
  const address = email.toLowerCase();
  let cookies = sharedSessions.get(address);
  if (!cookies) {
    cookies = signInOnce(address);
    sharedSessions.set(address, cookies);
  }
  await page.context().addCookies(await cookies);
}

/** A page in a new browser context of its own, signed in with this worker's session of `email` (useSharedSession). */
export async function pageWithSharedSession(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await useSharedSession(page, email);
  return page;
}

async function signInOnce(email: string): Promise<SessionCookies> {
  const context = await request.newContext({ baseURL });
  try {
    await withSignInLock(email, () => signInNow(context, email));
    return (await context.storageState()).cookies;
  } finally {
    await context.dispose();
  }
}

async function signInNow(client: APIRequestContext, email: string): Promise<void> {
  // The code is in the mail table once the request is answered (one transaction writes both).
  const res = await client.post("/api/auth/email-code", { data: { email } });
  expect(res.status(), await res.text()).toBe(200);
  const code = await lastSignInCode(email);
  const { csrfToken } = await (await client.get("/api/auth/csrf")).json();
  const signIn = await client.post("/api/auth/callback/email-code", {
    // A new address's account is made only when asked (a typo must not open one silently); these tests ask.
    form: { email, code, csrfToken, createAccount: "true", json: "true" },
  });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  const session = await (await client.get("/api/auth/session")).json();
  expect(session?.user?.email).toBe(email.toLowerCase());
}
