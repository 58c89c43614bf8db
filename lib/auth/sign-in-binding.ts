import "server-only";
import { randomToken } from "@/lib/crypto/hash";
import { cookiesAreSecure } from "@/lib/auth/cookie-policy";
import { EMAIL_CODE_TTL_MINUTES } from "@/lib/auth/email-codes";

/**
 * The cookie that ties a mailed sign-in code to the browser that asked for
 * it: a 256-bit random value, HttpOnly, whose SHA-256 is stored with the code
 * (EmailCode.bindingHash). A code read from someone's mailbox, or sent to a
 * victim and talked out of them, is useless in another browser.
 * `__Host-` (Secure, path /, no Domain) wherever cookies are secure.
 */
export function signInBindingCookieName(): string {
  return cookiesAreSecure() ? "__Host-guildhall.sign-in-binding" : "guildhall.sign-in-binding";
}

/** A fresh binding and the Set-Cookie header that gives it to the browser; it lives as long as the code. */
export function newSignInBinding(): { binding: string; setCookie: string } {
  const binding = randomToken(32);
  const attributes = ["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${EMAIL_CODE_TTL_MINUTES * 60}`];
  if (cookiesAreSecure()) attributes.push("Secure");
  return { binding, setCookie: `${signInBindingCookieName()}=${binding}; ${attributes.join("; ")}` };
}

/**
 * The binding a request carries, from its Cookie header. Read by hand: next-auth
 * hands the sign-in check only the request's headers, and the value is one
 * base64url token we wrote, so there is nothing to unescape.
 */
export function signInBindingOf(cookieHeader: string | null | undefined): string | undefined {
  const name = signInBindingCookieName();
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
