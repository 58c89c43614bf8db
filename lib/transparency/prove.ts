import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { consistencyProof, inclusionProof } from "@/lib/merkle/proofs";
import { leafHash } from "@/lib/merkle/tree-hash";
import { tiledRangeHash } from "@/lib/merkle/tiled-tree";
import { getCheckpointAt, getLatestCheckpoint, readLogEntry, storedTileReader } from "@/lib/transparency/read-log";
import { cosignedCheckpointNote } from "@/lib/transparency/checkpoint-cosigners";

export type InclusionProof = {
  index: number;
  treeSize: number;
  entry: string;
  leafHash: string;
  proof: string[];
  checkpoint: string;
};

/** A tree size the log signed: the latest one, or the one asked for (which must have been signed). */
async function signedCheckpoint(size?: number) {
  const checkpoint = size === undefined ? await getLatestCheckpoint() : await getCheckpointAt(size);
  if (!checkpoint)
    throw new AppError("NOT_FOUND", {
      userMessage:
        size === undefined ? "The log has no checkpoint yet." : `The log signed no checkpoint of size ${size}.`,
      reason: "NO_SUCH_CHECKPOINT",
    });
  return checkpoint;
}

/**
 * Entry `index` with its RFC 9162 inclusion proof against the checkpoint of `treeSize` (default: the latest). The
 * checkpoint carries the cosignatures of the witnesses that count (docs/LOG.md "Witnesses"), as `/log/checkpoint`
 * does, so a saved proof verifies offline with the witnesses' keys too.
 */
export async function proveInclusion(index: number, treeSize?: number): Promise<InclusionProof> {
  const checkpoint = await signedCheckpoint(treeSize);
  if (index >= checkpoint.size)
    throw new AppError("NOT_FOUND", {
      userMessage: `Entry ${index} is not in the tree of size ${checkpoint.size} (not integrated yet?).`,
      reason: "NOT_INTEGRATED",
    });
  const entry = await readLogEntry(index);
  if (entry === null) throw new Error(`log entry ${index} is missing below the checkpoint's size`);
  const [proof, cosignedNote] = await Promise.all([
    inclusionProof(index, checkpoint.size, tiledRangeHash(checkpoint.size, storedTileReader)),
    cosignedCheckpointNote(checkpoint),
  ]);
  return {
    index,
    treeSize: checkpoint.size,
    entry,
    leafHash: leafHash(Buffer.from(entry)).toString("base64"),
    proof: proof.map((h) => h.toString("base64")),
    checkpoint: cosignedNote,
  };
}

/** The RFC 9162 consistency proof from the signed tree of `oldSize` to the one of `newSize` (default: the latest), cosigned as above. */
export async function proveConsistency(oldSize: number, newSize?: number) {
  const newer = await signedCheckpoint(newSize);
  if (oldSize < 1 || oldSize > newer.size)
    throw new AppError("BAD_REQUEST", {
      userMessage: `A consistency proof needs 1 <= old size <= ${newer.size}.`,
      reason: "BAD_TREE_SIZE",
    });
  const [proof, cosignedNote] = await Promise.all([
    consistencyProof(oldSize, newer.size, tiledRangeHash(newer.size, storedTileReader)),
    cosignedCheckpointNote(newer),
  ]);
  return { oldSize, newSize: newer.size, proof: proof.map((h) => h.toString("base64")), checkpoint: cosignedNote };
}
