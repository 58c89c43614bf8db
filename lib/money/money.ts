/**
 * An amount of money: integer minor units of one currency (cents for EUR,
 * yen for JPY, see currencyExponent), as bigint so no float ever touches it.
 */
export type Money = { amountMinor: bigint; currency: string };

export function money(amountMinor: bigint | number, currency: string): Money {
  return { amountMinor: BigInt(amountMinor), currency: currency.toUpperCase() };
}

/**
 * Minor units as a JavaScript number, for the places that speak JSON numbers
 * or a provider SDK's integers. Throws past 2^53, where a number would round
 * silently; no real amount comes near it.
 */
export function minorUnitsAsNumber(amountMinor: bigint | number): number {
  const n = Number(amountMinor);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${amountMinor} is not a safe integer`);
  return n;
}
