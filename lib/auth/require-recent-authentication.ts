import "server-only";
import { limits } from "@/lib/config/limits";
import { AppError } from "@/lib/errors/app-error";

/**
 * Adding a passkey is adding a way in that outlives every session: whoever
 * holds the passkey signs in as this person and signs their ballots. So it
 * needs the account's own recent sign-in (within limits.auth), not merely a
 * session, which may be old, left open on a shared computer, or taken. A
 * session older than that is refused with REAUTH_REQUIRED; the person signs
 * in again (a passkey or an emailed code, both theirs alone) and retries.
 */
export function requireRecentAuthentication(session: { authTime: Date }, now = new Date()): void {
  if (now.getTime() - session.authTime.getTime() <= limits.auth.recentAuthenticationMs) return;
  throw new AppError("FORBIDDEN", {
    reason: "REAUTH_REQUIRED",
    userMessage: "To add a passkey, sign in again first: it must be you, not just your open session.",
  });
}
