import "server-only";
import type { Tx } from "@/lib/db/client";
import { readPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { logOrigin } from "@/lib/transparency/log-signer";

export type LogCheckpoint = { origin: string; treeSize: number; rootHash: string; signedNote: string };

/**
 * The transparency log's published checkpoint (docs/LOG.md: the newest, with the cosignatures of the hosts'
 * witnesses that count; the newest one a quorum cosigned while the newest waits for its first round), carried in
 * the service configuration so that a backend that verifies the
 * configuration also learns a log head it must be consistent with. Read
 * inside the publishing transaction, so the two agree. A new checkpoint does
 * not by itself make a new configuration version: the configuration changes
 * only through governance outcomes and audited admin acts, and carries the
 * checkpoint current at that moment. `null` before the log's first
 * integration. The root hash is base64, as in the checkpoint's own text.
 */
export async function latestLogCheckpoint(tx: Tx): Promise<LogCheckpoint | null> {
  const published = await readPublishedCheckpoint(tx);
  if (!published) return null;
  return {
    origin: logOrigin(),
    treeSize: published.size,
    rootHash: published.rootHash.toString("base64"),
    // The log's signature and the witnesses' cosignatures: a backend checks the quorum with the hosts' keys.
    signedNote: published.cosignedNote,
  };
}
