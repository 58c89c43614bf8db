import "server-only";
import { limits } from "@/lib/config/limits";
import { currencyExponent } from "@/lib/money/currency";

/** The amount above which a refund in `currency` waits for a second finance user, in minor units. */
export function refundApprovalThresholdMinor(currency: string): bigint {
  const bars = limits.approvals.refundSecondApproverAboveMajor;
  const major = bars[currency.toUpperCase()] ?? bars.default;
  return BigInt(major) * 10n ** BigInt(currencyExponent(currency));
}

export function refundNeedsSecondApprover(amountMinor: bigint, currency: string): boolean {
  return amountMinor > refundApprovalThresholdMinor(currency);
}
