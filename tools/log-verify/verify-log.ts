import { appendToEdge, edgeRoot, type TileEdge } from "../../lib/merkle/tile-edge";
import { leafHash } from "../../lib/merkle/tree-hash";
import { TILE_WIDTH, tilePath } from "../../lib/merkle/tile-paths";
import { bundleEntries, type LogSource } from "./log-source";

/**
 * Recomputes a whole log from its entry bundles: every leaf hash, every tile
 * (compared with the tiles the log serves, level 0 and up) and the root,
 * which must be the checkpoint's. Streams bundle by bundle, so memory stays
 * flat whatever the log's size.
 */
export async function verifyWholeLog(source: LogSource, size: number, rootHash: Buffer) {
  let edge: TileEdge = { size: 0, levels: [] };
  let tilesChecked = 0;
  for (let index = 0; index * TILE_WIDTH < size; index++) {
    const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
    const entries = bundleEntries(await source.bytes(tilePath({ level: "entries", index, width })));
    if (entries.length !== width)
      throw new Error(`entry bundle ${index}: ${entries.length} entries, expected ${width}`);
    const step = appendToEdge(
      edge,
      entries.map((e) => leafHash(e)),
    );
    edge = step.edge;
    for (const tile of step.changed) {
      // Each tile is compared once, when it is full or when it is the last (partial) one of its level.
      const full = tile.hashes.length === TILE_WIDTH;
      if (!full && edge.size < size) continue;
      const served = await source.bytes(tilePath({ level: tile.level, index: tile.index, width: tile.hashes.length }));
      if (!Buffer.from(served).equals(Buffer.concat(tile.hashes)))
        throw new Error(`tile ${tile.level}/${tile.index} does not match the entries`);
      tilesChecked += 1;
    }
  }
  if (!edgeRoot(edge).equals(rootHash)) throw new Error("the entries do not hash to the checkpoint's root");
  return { entries: size, tilesChecked };
}
