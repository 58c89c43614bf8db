import { env } from "@/lib/config/env";
import { isLoopbackPeer } from "@/lib/http/peer-address";

/**
 * Whether the dev mailbox is open to anyone at this request, without a role.
 *
 * Normally it is for org admins only: it shows every sign-in code, so reading
 * it is signing in as anyone. One exception: a fresh `npm start` on the
 * embedded database with no SMTP_URL, which is a person trying Guildhall on
 * their own machine. The demo accounts have no passkeys and their sign-in
 * codes go nowhere but this mailbox, so without the exception nobody could
 * ever sign in as the demo admin to read it. It applies only when all three
 * hold: embedded database (a real deployment sets DATABASE_URL), no SMTP
 * (mail really is undeliverable), and the request comes over the loopback
 * interface of this machine (by the socket's address, not a forgeable
 * header), so another computer on the network cannot use it.
 */
export function devMailboxOpenWithoutRole(headers: Headers): boolean {
  const e = env();
  return e.embedded && !e.smtpUrl && isLoopbackPeer(headers);
}
