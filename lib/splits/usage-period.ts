import "server-only";
/**
 * Usage periods are calendar months in UTC, written YYYY-MM. A month is
 * closed once the next one has begun; only closed months can be reported,
 * since a month still running has no final count (and a month in the future
 * none at all).
 */
export function usagePeriodOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The period `months` before (negative) or after the period of `at`. */
export function usagePeriodShifted(at: Date, months: number): string {
  return usagePeriodOf(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1)));
}

/**
 * The period whose usage weighs a sale made at `paidAt`: the last month
 * closed before it. A sale in May is split by April's usage, whenever it is
 * recorded (a late webhook, an import), so a report made afterwards for
 * another month never moves it.
 */
export function usagePeriodForSale(paidAt: Date): string {
  return usagePeriodShifted(paidAt, -1);
}
