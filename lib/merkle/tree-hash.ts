import { createHash, hash } from "node:crypto";

/**
 * RFC 9162 (and RFC 6962) Merkle tree hashing with SHA-256: a leaf is
 * SHA-256(0x00 || entry), an inner node SHA-256(0x01 || left || right), and the
 * empty tree's root is SHA-256 of nothing. The prefixes keep a leaf from ever
 * being passed off as a node.
 */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

// One-shot hashes (crypto.hash) of the joined bytes: a Hash object per leaf and per node cost the log's
// integrator twice the hashing itself, in a round of thousands of entries.
export function leafHash(entry: Uint8Array): Buffer {
  return hash("sha256", Buffer.concat([LEAF_PREFIX, entry]), "buffer");
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return hash("sha256", Buffer.concat([NODE_PREFIX, left, right]), "buffer");
}

export function emptyTreeRoot(): Buffer {
  return createHash("sha256").digest();
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root of a run of hashes of equal height (a list of leaf hashes, or a tile's hashes), per RFC 9162's MTH. */
export function rootOfHashes(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return emptyTreeRoot();
  if (hashes.length === 1) return Buffer.from(hashes[0]);
  const k = splitPoint(hashes.length);
  return nodeHash(rootOfHashes(hashes.slice(0, k)), rootOfHashes(hashes.slice(k)));
}
