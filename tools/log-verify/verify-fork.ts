import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from "../../lib/merkle/proofs";
import { leafHash } from "../../lib/merkle/tree-hash";
import { TILE_WIDTH, tilePath } from "../../lib/merkle/tile-paths";
import { tiledRangeHash } from "../../lib/merkle/tiled-tree";
import { bundleEntries, sourceTileReader, type LogSource } from "./log-source";
import type { CheckedCheckpoint } from "./verify-checkpoint";

/**
 * A forked Guildhall's log against the origin's checkpoint it was forked from (docs/EXPORTS.md): the fork's
 * log keeps the origin's entries unchanged (its latest checkpoint is consistent with the origin's, though
 * another key signed each), and its first entry of its own, at the origin's size, is the `org.forked` event
 * naming that very checkpoint: the origin's log name, size and root. Both checkpoints are checked by the
 * caller, each with its own log's key. Throws with the reason.
 */
export async function verifyForkOfLog(source: LogSource, origin: CheckedCheckpoint, fork: CheckedCheckpoint) {
  if (fork.size <= origin.size)
    throw new Error(`the fork's log (size ${fork.size}) has no entry after the origin's ${origin.size}`);
  const tiles = tiledRangeHash(fork.size, sourceTileReader(source));
  const consistency = origin.size === 0 ? [] : await consistencyProof(origin.size, fork.size, tiles);
  if (!verifyConsistency(origin.size, fork.size, origin.rootHash, fork.rootHash, consistency))
    throw new Error(
      `the fork's log is NOT consistent with the origin's checkpoint of size ${origin.size}: it changed the origin's entries`,
    );
  const index = origin.size;
  const bundle = Math.floor(index / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, fork.size - bundle * TILE_WIDTH);
  const text = bundleEntries(await source.bytes(tilePath({ level: "entries", index: bundle, width })))[
    index % TILE_WIDTH
  ];
  if (!text) throw new Error(`entry ${index} is missing from its bundle`);
  const proof = await inclusionProof(index, fork.size, tiles);
  if (!verifyInclusion(index, fork.size, leafHash(text), proof, fork.rootHash))
    throw new Error(`entry ${index} is NOT included in the fork's checkpoint`);
  const entry = JSON.parse(text.toString("utf8")) as {
    action?: string;
    at?: string;
    data?: { origin?: string; originLog?: string; treeSize?: number; rootHash?: string; manifestDigest?: string };
  };
  const rootHex = origin.rootHash.toString("hex");
  const problems: string[] = [];
  if (entry.action !== "org.forked") problems.push(`it is ${entry.action}, not org.forked`);
  if (entry.data?.originLog !== origin.origin) problems.push(`it names the log ${entry.data?.originLog}`);
  if (entry.data?.treeSize !== origin.size) problems.push(`it names the size ${entry.data?.treeSize}`);
  if (entry.data?.rootHash !== rootHex) problems.push(`it names the root ${entry.data?.rootHash}`);
  if (problems.length > 0)
    throw new Error(
      `entry ${index}, the fork's first of its own, does not open the fork from the origin's checkpoint (${origin.origin}, size ${origin.size}, root ${rootHex}): ${problems.join("; ")}`,
    );
  return {
    origin: { log: origin.origin, issuer: entry.data?.origin, size: origin.size, rootHash: rootHex },
    forkedAt: { index, at: entry.at, manifestDigest: entry.data?.manifestDigest },
    fork: { log: fork.origin, size: fork.size, rootHash: fork.rootHash.toString("hex"), cosigners: fork.cosigners },
  };
}
