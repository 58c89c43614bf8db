import { HASH_BYTES, nodeHash, rootOfHashes, splitPoint } from "./tree-hash";
import { TILE_HEIGHT, TILE_WIDTH } from "./tile-paths";
import type { RangeHash } from "./proofs";

/** A tile's hashes, concatenated: exactly `width` × 32 bytes of the tile at `level`, `index` (tlog-tiles). */
export type TileReader = (level: number, index: number, width: number) => Promise<Uint8Array>;

/**
 * Range hashes of the tree of `size` leaves, read from its tiles: a perfect
 * subtree of height h is at most 128 hashes of one tile at level ⌊h/8⌋,
 * hashed up; any other range splits as RFC 9162 does. Each tile is read once
 * per call of this function, so one proof costs one read per tile it touches.
 */
export function tiledRangeHash(size: number, readTile: TileReader): RangeHash {
  const tiles = new Map<string, Promise<Uint8Array>>();

  const tile = (level: number, index: number): Promise<Uint8Array> => {
    const hashesAtLevel = Math.floor(size / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH);
    const key = `${level}/${index}/${width}`;
    let read = tiles.get(key);
    if (!read) {
      read = readTile(level, index, width).then((bytes) => {
        if (bytes.length !== width * HASH_BYTES)
          throw new Error(`tile ${level}/${index} has ${bytes.length} bytes, expected ${width * HASH_BYTES}`);
        return bytes;
      });
      tiles.set(key, read);
    }
    return read;
  };

  const perfect = async (height: number, index: number): Promise<Buffer> => {
    const level = Math.floor(height / TILE_HEIGHT);
    const span = 2 ** (height - level * TILE_HEIGHT);
    const first = index * span;
    const bytes = await tile(level, Math.floor(first / TILE_WIDTH));
    const offset = first % TILE_WIDTH;
    const hashes: Buffer[] = [];
    for (let i = 0; i < span; i++) {
      const at = (offset + i) * HASH_BYTES;
      hashes.push(Buffer.from(bytes.subarray(at, at + HASH_BYTES)));
    }
    return rootOfHashes(hashes);
  };

  const rangeHash: RangeHash = async (start, end) => {
    if (!(start >= 0 && start < end && end <= size)) throw new RangeError(`range ${start}..${end} not in ${size}`);
    const n = end - start;
    const height = Math.log2(n);
    if (Number.isInteger(height) && start % n === 0) return perfect(height, start / n);
    const k = splitPoint(n);
    const [left, right] = await Promise.all([rangeHash(start, start + k), rangeHash(start + k, end)]);
    return nodeHash(left, right);
  };
  return rangeHash;
}
