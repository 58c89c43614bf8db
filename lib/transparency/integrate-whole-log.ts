import "server-only";
import { limits } from "@/lib/config/limits";
import { integrateLog, type Integration } from "@/lib/transparency/integrate-log";

/**
 * Integrates every audit event committed before the call, round after round, and returns the last round. One
 * integrateLog round takes at most a batch (limits.log.integrationBatch) and leaves the rest of a backlog to the
 * background rounds; whoever needs an event it just committed in the log now (an account's deletion erasing the
 * openings of every commitment about the person, the CLI's witness round) calls this instead. A round that is not
 * full placed every event its snapshot saw (lib/audit/sequence-audit-events.ts), so it is the last one needed.
 */
export async function integrateWholeLog(maxEntries: number = limits.log.integrationBatch): Promise<Integration> {
  for (;;) {
    const round = await integrateLog(maxEntries);
    if (!round.behind) return round;
  }
}
