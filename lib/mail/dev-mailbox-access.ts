import "server-only";
import { env } from "@/lib/config/env";
import { constantTimeEqual } from "@/lib/crypto/hash";
import { derivedKey } from "@/lib/crypto/sealed-box";

/**
 * The dev mailbox shows every sign-in code and invitation link, so whoever
 * reads it can sign in as anyone. It exists only where mail cannot go
 * anywhere else and the reader is the person who started the portal:
 *
 * - only in embedded development (no DATABASE_URL) without SMTP_URL. Any
 *   other portal answers 404, to org admins too: a role must not let one
 *   person read another's codes;
 * - only with its key, printed in the terminal that started the portal. An
 *   address check cannot tell the developer from a stranger once a reverse
 *   proxy on the same machine forwards requests (every request then comes
 *   from loopback), while the key is known only to whoever sees that
 *   terminal (or can read DATA_DIR, which holds the master key it is derived
 *   from), whatever sits in front.
 */
export function devMailboxExists(): boolean {
  const e = env();
  return e.embedded && !e.smtpUrl;
}

/** The dev mailbox's key, derived from the master key so it is stable across restarts and stored nowhere. */
export function devMailboxKey(): string {
  return derivedKey(env().masterKey, "dev-mailbox-key").toString("base64url");
}

/** Whether `key` opens the dev mailbox. */
export function devMailboxOpens(key: string | undefined): boolean {
  return devMailboxExists() && typeof key === "string" && constantTimeEqual(key, devMailboxKey());
}

/** The dev mailbox's address with its key, for the start-up output; undefined when there is no dev mailbox. */
export function devMailboxLink(): string | undefined {
  return devMailboxExists() ? `${env().publicUrl}/dev/mailbox?key=${devMailboxKey()}` : undefined;
}
