import type { StoredCheckpoint } from "@/lib/transparency/read-log";

/** A witness's cosignature on a checkpoint (C2SP tlog-cosignature): its name and the time it signed. */
export type Cosigner = { name: string; time: number };

/**
 * The witnesses that cosigned a checkpoint, as Guildhall stores their
 * cosignatures once it has checked them. Pages and receipts say "witnessed by
 * k hosts" from this, and "not witnessed" when it is empty.
 *
 * Witnesses are the other half of issue 14: until their cosignatures are
 * stored, no checkpoint is witnessed and this says so (an empty list), rather
 * than counting signature lines nobody checked.
 */
export async function getCheckpointCosigners(_checkpoint: StoredCheckpoint): Promise<Cosigner[]> {
  return [];
}
