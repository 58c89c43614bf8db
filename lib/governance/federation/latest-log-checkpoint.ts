import type { Tx } from "@/lib/db/client";

export type LogCheckpoint = { origin: string; treeSize: number; rootHash: string; signedNote: string };

/**
 * The hook for the transparency log: the latest signed checkpoint to carry in
 * the service configuration, so a backend that verifies the configuration
 * also learns the log head it must be consistent with. Guildhall has no
 * transparency log yet, so there is none and the configuration says
 * `logCheckpoint: null`. When the log lands, this returns its newest
 * checkpoint (read inside the publishing transaction, so the two agree), and
 * a new checkpoint does not by itself make a new configuration version: the
 * configuration changes only through governance outcomes and audited admin
 * acts, and carries the checkpoint current at that moment.
 */
export async function latestLogCheckpoint(_tx: Tx): Promise<LogCheckpoint | null> {
  return null;
}
