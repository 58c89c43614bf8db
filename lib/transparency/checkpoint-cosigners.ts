import "server-only";
import type { StoredCheckpoint } from "@/lib/transparency/read-log";
import { countingWitnesses } from "@/lib/transparency/witnesses/counting-witnesses";
import { noteWithCosignatures, storedCosignatures } from "@/lib/transparency/witnesses/stored-cosignatures";

/** A witness's cosignature on a checkpoint (C2SP tlog-cosignature): its name and the time it signed. */
export type Cosigner = { name: string; time: number };

/**
 * The witnesses that cosigned a checkpoint, as Guildhall stores their
 * cosignatures once it has checked them, counting only the witnesses of hosts
 * admitted now (docs/LOG.md "Witnesses"). Pages and receipts say "witnessed
 * by k hosts" from this, and "not witnessed" when it is empty.
 */
export async function getCheckpointCosigners(checkpoint: StoredCheckpoint): Promise<Cosigner[]> {
  return (await storedCosignatures(checkpoint.size, await countingWitnesses())).map((c) => ({
    name: c.name,
    time: c.time,
  }));
}

/** The checkpoint's note with those cosignatures, so that a saved copy verifies offline with the witnesses' keys. */
export async function cosignedCheckpointNote(checkpoint: StoredCheckpoint): Promise<string> {
  return noteWithCosignatures(checkpoint.note, await storedCosignatures(checkpoint.size, await countingWitnesses()));
}
