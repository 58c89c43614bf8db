import { nodeHash, splitPoint } from "./tree-hash";

/** MTH(D[start:end]): the hash of a range of leaves, from wherever the caller keeps the tree. */
export type RangeHash = (start: number, end: number) => Promise<Buffer>;

/**
 * The RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of the
 * first `size` leaves, leaf end first. It is built from the recursive
 * definition, over range hashes, so the tile store answers it in O(log n)
 * reads of at most one tile per level.
 */
export async function inclusionProof(index: number, size: number, rangeHash: RangeHash): Promise<Buffer[]> {
  if (!(index >= 0 && index < size)) throw new RangeError(`inclusion proof: index ${index} is not below size ${size}`);
  const proof: Buffer[] = [];
  let start = 0;
  let end = size;
  // Walks from the root down to the leaf, collecting each sibling; the proof lists them leaf first.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      proof.push(await rangeHash(start + k, end));
      end = start + k;
    } else {
      proof.push(await rangeHash(start, start + k));
      start += k;
    }
  }
  return proof.reverse();
}

/**
 * The RFC 9162 §2.1.4.1 consistency proof between the trees of the first
 * `oldSize` and `newSize` leaves (0 < oldSize ≤ newSize), per SUBPROOF.
 */
export async function consistencyProof(oldSize: number, newSize: number, rangeHash: RangeHash): Promise<Buffer[]> {
  if (!(oldSize > 0 && oldSize <= newSize))
    throw new RangeError(`consistency proof: needs 0 < ${oldSize} <= ${newSize}`);
  const proof: Buffer[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let wholeOldTree = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      proof.push(await rangeHash(start + k, end));
      end = start + k;
    } else {
      proof.push(await rangeHash(start, start + k));
      start += k;
      m -= k;
      wholeOldTree = false;
    }
  }
  if (!wholeOldTree) proof.push(await rangeHash(start, end));
  return proof.reverse();
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` take leaf `index`'s hash to `root` in a tree of `size` leaves? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `oldSize` leaves with `oldRoot` a prefix of the one of `newSize` with `newRoot`? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (oldSize > newSize || oldSize < 0) return false;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  // Every tree extends the empty one; there is nothing to prove.
  if (oldSize === 0) return proof.length === 0;
  // When the old tree is a perfect subtree its root starts the path (RFC 9162: "prepend first_hash").
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}
