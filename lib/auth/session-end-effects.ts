import "server-only";
import type { Tx } from "@/lib/db/client";
import { processSlot, requireSlot } from "@/lib/process-state";

export type EndedSession = { sessionId: string; userId: string };
export type SessionEndHook = (tx: Tx, session: EndedSession) => Promise<unknown>;

const slot = processSlot<readonly SessionEndHook[]>("sessionEndHooks");

/**
 * What other domains do, in the same transaction, when a Guildhall session
 * ends (sign-out, a session ended from the account page, sign-out
 * everywhere): the OpenID provider tells the hosts the user signed in to
 * (back-channel logout). The composition root (lib/composition) lists the
 * hooks and installs them when the process starts, so a domain adds one there
 * rather than editing each place that ends sessions.
 */
export function installSessionEndHooks(hooks: readonly SessionEndHook[]): void {
  slot.set(hooks);
}

export async function runSessionEndEffects(tx: Tx, sessions: EndedSession[]): Promise<void> {
  const hooks = requireSlot(
    slot,
    "no session-end hooks are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
  for (const s of sessions) for (const hook of hooks) await hook(tx, s);
}
