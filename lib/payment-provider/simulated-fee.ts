import "server-only";
/**
 * What the simulated provider keeps per charge: 1.4 % + 25 minor units, like a
 * European card rate, capped at the amount. Rounded half up in integers.
 */
export function simulatedFeeMinor(amountMinor: number): number {
  return Math.min(amountMinor, Math.floor((amountMinor * 140 + 5_000) / 10_000) + 25);
}
