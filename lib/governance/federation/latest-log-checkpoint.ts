import type { Tx } from "@/lib/db/client";
import { readLatestCheckpoint } from "@/lib/transparency/read-log";
import { logOrigin } from "@/lib/transparency/log-signer";

export type LogCheckpoint = { origin: string; treeSize: number; rootHash: string; signedNote: string };

/**
 * The transparency log's newest signed checkpoint (docs/LOG.md), carried in
 * the service configuration so that a backend that verifies the
 * configuration also learns a log head it must be consistent with. Read
 * inside the publishing transaction, so the two agree. A new checkpoint does
 * not by itself make a new configuration version: the configuration changes
 * only through governance outcomes and audited admin acts, and carries the
 * checkpoint current at that moment. `null` before the log's first
 * integration. The root hash is base64, as in the checkpoint's own text.
 */
export async function latestLogCheckpoint(tx: Tx): Promise<LogCheckpoint | null> {
  const latest = await readLatestCheckpoint(tx);
  if (!latest) return null;
  return {
    origin: logOrigin(),
    treeSize: latest.size,
    rootHash: latest.rootHash.toString("base64"),
    signedNote: latest.note,
  };
}
