import "server-only";
import { env } from "@/lib/config/env";
import { isLoopbackHost } from "@/lib/http/loopback";

/**
 * next-auth's cookies are always HttpOnly and SameSite=Lax. They are also
 * Secure (with the __Secure-/__Host- name prefixes) everywhere but on
 * localhost, where browsers treat plain http as a secure context for
 * development; a portal on a real host name must be served over https.
 */
export function cookiesAreSecure(): boolean {
  return !isLoopbackHost(new URL(env().publicUrl).hostname);
}

/** The session cookie next-auth writes under that policy. */
export function sessionCookieName(): string {
  return cookiesAreSecure() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}
