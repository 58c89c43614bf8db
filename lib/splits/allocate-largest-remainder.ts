import "server-only";
/**
 * Splits `total` into parts proportional to `weights` so that the parts sum to
 * `total` exactly (Hamilton's largest-remainder method): each part gets the
 * floor of its quota, then the units left over go one each to the largest
 * fractional remainders, ties to the earlier part, so the result is
 * deterministic. Works in bigint: no float ever touches money. A negative
 * total is allocated as the negation of its absolute value.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new Error("allocateLargestRemainder: no weights");
  if (weights.some((w) => w < 0n)) throw new Error("allocateLargestRemainder: negative weight");
  const sumWeights = weights.reduce((a, b) => a + b, 0n);
  if (sumWeights === 0n) throw new Error("allocateLargestRemainder: weights sum to zero");
  if (total < 0n) return allocateLargestRemainder(-total, weights).map((x) => -x);
  const parts = weights.map((w) => (total * w) / sumWeights);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sumWeights }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

/** The number-typed convenience for amounts known to be safe integers. */
export function allocate(total: number, weights: readonly number[]): number[] {
  return allocateLargestRemainder(
    BigInt(total),
    weights.map((w) => BigInt(w)),
  ).map(Number);
}
