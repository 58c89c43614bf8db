import type { Tx } from "@/lib/db/client";
import { enqueueBackchannelLogouts } from "@/lib/oidc/logout/enqueue-backchannel-logouts";

type EndedSession = { sessionId: string; userId: string };

/**
 * What other domains do, in the same transaction, when a Guildhall session
 * ends (sign-out, a session ended from the account page, sign-out
 * everywhere): the OpenID provider tells the hosts the user signed in to
 * (back-channel logout). A domain registers here rather than editing each
 * place that ends sessions.
 */
const effects: ((tx: Tx, s: EndedSession) => Promise<unknown>)[] = [enqueueBackchannelLogouts];

export async function runSessionEndEffects(tx: Tx, sessions: EndedSession[]): Promise<void> {
  for (const s of sessions) for (const effect of effects) await effect(tx, s);
}
