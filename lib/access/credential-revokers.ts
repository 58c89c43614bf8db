import "server-only";
import type { Tx } from "@/lib/db/client";
import { processSlot, requireSlot } from "@/lib/process-state";

/**
 * One kind of credential that acts for a person (sessions, OpenID grants and
 * their tokens, theater API tokens), ended in the caller's transaction when
 * that person is disabled. Returns how many it ended. Each domain defines its
 * own and the composition root (lib/composition) lists them all, so disabling
 * a user (lib/orgs/disable-user.ts) ends every credential without importing
 * the domains that issue them, and a new kind of credential is one entry
 * there.
 */
export type CredentialRevoker = { kind: string; revoke: (tx: Tx, userId: string) => Promise<number> };

const slot = processSlot<readonly CredentialRevoker[]>("credentialRevokers");

export function installCredentialRevokers(revokers: readonly CredentialRevoker[]): void {
  slot.set(revokers);
}

/** Ends every credential of the user in `tx`; answers the count ended per kind. */
export async function revokeCredentialsOf(tx: Tx, userId: string): Promise<Record<string, number>> {
  const revokers = requireSlot(
    slot,
    "no credential revokers are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
  const ended: Record<string, number> = {};
  for (const r of revokers) ended[r.kind] = await r.revoke(tx, userId);
  return ended;
}
