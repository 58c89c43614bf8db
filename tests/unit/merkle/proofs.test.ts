import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from "@/lib/merkle/proofs";
import { appendToEdge, edgeRoot, edgeTileAddresses, type TileEdge } from "@/lib/merkle/tile-edge";
import { tiledRangeHash } from "@/lib/merkle/tiled-tree";

// A straightforward reference, written from RFC 9162 §2.1 and nothing else: recursion over arrays.
const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const refLeaf = (entry: Buffer) => sha(Buffer.from([0]), entry);
function refMth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), refMth(leaves.slice(0, k)), refMth(leaves.slice(k)));
}
function refPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...refPath(m, leaves.slice(0, k)), refMth(leaves.slice(k))]
    : [...refPath(m - k, leaves.slice(k)), refMth(leaves.slice(0, k))];
}
function refSubproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [refMth(leaves)];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m <= k
    ? [...refSubproof(m, leaves.slice(0, k), b), refMth(leaves.slice(k))]
    : [...refSubproof(m - k, leaves.slice(k), false), refMth(leaves.slice(0, k))];
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => refLeaf(Buffer.from(`entry ${i}`)));

/** The tree as the portal stores it: appended in batches to a tile edge, every changed tile kept. */
function tiledTree(leaves: Buffer[], batch: number) {
  const tiles = new Map<string, Buffer[]>();
  let edge: TileEdge = { size: 0, levels: [] };
  for (let at = 0; at < leaves.length; at += batch) {
    const step = appendToEdge(edge, leaves.slice(at, at + batch));
    edge = step.edge;
    for (const t of step.changed) tiles.set(`${t.level}/${t.index}`, t.hashes);
  }
  const rangeHash = (size: number) =>
    tiledRangeHash(size, async (level, index, width) => {
      const hashes = tiles.get(`${level}/${index}`) ?? [];
      if (hashes.length < width) throw new Error(`tile ${level}/${index} has only ${hashes.length} of ${width}`);
      return Buffer.concat(hashes.slice(0, width));
    });
  return { edge, tiles, rangeHash };
}

describe("Merkle tree over tiles, against the RFC 9162 reference", () => {
  // Sizes across tile boundaries (256 leaves per level-0 tile); the level-1 boundary is checked once below.
  // Each boundary size is also an explicit example of every property below, so it is checked on every run
  // whatever the random draws, and the random runs can be few (each builds a tree of up to a thousand leaves).
  const boundaries = [255, 256, 257, 511, 512, 513, 1024];
  const size = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constantFrom(...boundaries));
  const cache = new Map<number, Buffer[]>();
  const leaves = (n: number) => cache.get(n) ?? (cache.set(n, leavesOf(n)).get(n) as Buffer[]);

  it("the edge's root is MTH at every size, whatever the batch size", () => {
    fc.assert(
      fc.property(size, fc.integer({ min: 1, max: 300 }), (n, batch) => {
        const { edge } = tiledTree(leaves(n), batch);
        expect(edge.size).toBe(n);
        expect(edgeRoot(edge).equals(refMth(leaves(n)))).toBe(true);
      }),
      { numRuns: 20, examples: boundaries.map((n, i) => [n, [1, 97, 256, 300][i % 4]] as [number, number]) },
    );
  });

  it("tile layout: 70,000 leaves give 273 full level-0 tiles, widths 112, 17 and 1 on the edge", () => {
    // One repeated leaf: the layout does not depend on the hashes, and 70,000 distinct ones cost seconds.
    const { edge, tiles } = tiledTree(Array(70_000).fill(refLeaf(Buffer.from("same"))), 1000);
    expect(edgeTileAddresses(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(tiles.get("0/272")?.length).toBe(256);
    expect(edge.levels.map((l) => l.length)).toEqual([112, 17, 1]);
  }, 30_000);

  it("inclusion proofs equal the reference's and verify; any tampering is refused", async () => {
    await fc.assert(
      fc.asyncProperty(size, fc.nat(), fc.nat(), async (n, pick, flip) => {
        const all = leaves(n);
        const index = pick % n;
        const tree = tiledTree(all, 97);
        const proof = await inclusionProof(index, n, tree.rangeHash(n));
        const expected = refPath(index, all);
        expect(proof.map((h) => h.toString("hex"))).toEqual(expected.map((h) => h.toString("hex")));
        const root = refMth(all);
        expect(verifyInclusion(index, n, all[index], proof, root)).toBe(true);
        // A changed entry, a forged root, another index, a shortened proof: each refused.
        expect(verifyInclusion(index, n, refLeaf(Buffer.from("forged")), proof, root)).toBe(false);
        expect(verifyInclusion(index, n, all[index], proof, refLeaf(Buffer.from("root")))).toBe(false);
        if (n > 1) expect(verifyInclusion((index + 1) % n, n, all[index], proof, root)).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(index, n, all[index], proof.slice(1), root)).toBe(false);
          const bent = proof.map((h, i) => (i === flip % proof.length ? refLeaf(h) : h));
          expect(verifyInclusion(index, n, all[index], bent, root)).toBe(false);
        }
      }),
      { numRuns: 25, examples: boundaries.map((n) => [n, n - 1, 5] as [number, number, number]) },
    );
  }, 30_000); // 32 trees of up to a thousand leaves: seconds on a busy machine

  it("consistency proofs equal the reference's and verify; a rewritten, reordered or rolled-back tree is refused", async () => {
    await fc.assert(
      fc.asyncProperty(size, fc.nat(), async (n, pick) => {
        const all = leaves(n);
        const m = 1 + (pick % n);
        const tree = tiledTree(all, 53);
        const proof = await consistencyProof(m, n, tree.rangeHash(n));
        expect(proof.map((h) => h.toString("hex"))).toEqual(refSubproof(m, all, true).map((h) => h.toString("hex")));
        const oldRoot = refMth(all.slice(0, m));
        const newRoot = refMth(all);
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
        // The old tree with one entry rewritten, or two entries swapped: not a prefix of the new one.
        const rewritten = [...all.slice(0, m)];
        rewritten[pick % m] = refLeaf(Buffer.from("rewritten"));
        expect(verifyConsistency(m, n, refMth(rewritten), newRoot, proof)).toBe(false);
        if (m >= 2) {
          const swapped = [...all.slice(0, m)];
          [swapped[0], swapped[m - 1]] = [swapped[m - 1], swapped[0]];
          expect(verifyConsistency(m, n, refMth(swapped), newRoot, proof)).toBe(false);
        }
        // Rolled back: the newer checkpoint presented as the older one.
        if (m < n) expect(verifyConsistency(n, m, newRoot, oldRoot, proof)).toBe(false);
      }),
      { numRuns: 25, examples: boundaries.map((n) => [n, 256] as [number, number]) },
    );
  }, 30_000); // 32 trees of up to a thousand leaves: seconds on a busy machine
});
