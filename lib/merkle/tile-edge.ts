import { HASH_BYTES, emptyTreeRoot, nodeHash, rootOfHashes } from "./tree-hash";
import { TILE_WIDTH, partialTileWidth } from "./tile-paths";

/**
 * The right edge of a tiled tree: for each level, the hashes of its rightmost
 * partial tile. It is all an integrator needs to append leaves and compute the
 * new root without reading the rest of the tree, so an append costs O(log n)
 * whatever the log's size.
 */
export type TileEdge = { size: number; levels: Buffer[][] };

export type ChangedTile = { level: number; index: number; hashes: Buffer[] };

/** Where the edge's partial tiles sit, so a store can load them: one (level, index, width) per non-empty level. */
export function edgeTileAddresses(size: number): { level: number; index: number; width: number }[] {
  const addresses = [];
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const width = partialTileWidth(size, level);
    if (width > 0) addresses.push({ level, index: Math.floor(size / TILE_WIDTH ** (level + 1)), width });
  }
  return addresses;
}

/** Splits a tile's bytes into its hashes. */
export function tileHashes(bytes: Uint8Array): Buffer[] {
  const hashes: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += HASH_BYTES) hashes.push(Buffer.from(bytes.subarray(at, at + HASH_BYTES)));
  return hashes;
}

/**
 * Appends leaf hashes to the edge. Returns the new edge and every tile that
 * changed, with its whole content: the tiles that became full (written once,
 * immutable) and the new partial tiles.
 */
export function appendToEdge(
  edge: TileEdge,
  leafHashes: readonly Buffer[],
): { edge: TileEdge; changed: ChangedTile[] } {
  const levels = edge.levels.map((hashes) => [...hashes]);
  const changed = new Map<string, ChangedTile>();
  let size = edge.size;

  const push = (level: number, hash: Buffer) => {
    levels[level] ??= [];
    const index = Math.floor(Math.floor(size / TILE_WIDTH ** level) / TILE_WIDTH);
    levels[level].push(hash);
    // The live array: a full tile's is replaced below, never changed again, so no copy is needed.
    changed.set(`${level}/${index}`, { level, index, hashes: levels[level] });
    if (levels[level].length === TILE_WIDTH) {
      const full = levels[level];
      levels[level] = [];
      // A full tile's root is one hash of the tile above; a partial tile is never hashed upwards.
      push(level + 1, rootOfHashes(full));
    }
  };

  for (const leaf of leafHashes) {
    push(0, leaf);
    size += 1;
  }
  return { edge: { size, levels }, changed: [...changed.values()] };
}

/**
 * The root of the tree the edge describes: its perfect subtrees, largest
 * (highest level) first, folded from the right as RFC 9162's MTH does.
 */
export function edgeRoot(edge: TileEdge): Buffer {
  const subtrees: Buffer[] = [];
  for (let level = edge.levels.length - 1; level >= 0; level--) {
    const hashes = edge.levels[level] ?? [];
    let at = 0;
    for (let bit = TILE_WIDTH / 2; bit >= 1; bit /= 2) {
      if (hashes.length & bit) {
        subtrees.push(rootOfHashes(hashes.slice(at, at + bit)));
        at += bit;
      }
    }
  }
  if (subtrees.length === 0) return emptyTreeRoot();
  let root = subtrees[subtrees.length - 1];
  for (let i = subtrees.length - 2; i >= 0; i--) root = nodeHash(subtrees[i], root);
  return root;
}
