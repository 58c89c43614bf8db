import { currencyExponent } from "@/lib/money/currency";
import type { Money } from "@/lib/money/money";

export type ParsedMoney = { ok: true; money: Money } | { ok: false; message: string };

/**
 * Reads an amount typed in major units ("600", "600.5", "1200.00") as
 * integer minor units of `currency`: EUR "600.5" is 60050, JPY "600" is 600,
 * and JPY "600.5" is refused, since a yen has no smaller unit. No float is
 * involved: the digits are read as text.
 */
export function parseMoney(text: string, currency: string): ParsedMoney {
  const exponent = currencyExponent(currency);
  const trimmed = text.trim();
  const pattern = exponent === 0 ? /^\d{1,15}$/ : new RegExp(`^\\d{1,15}(\\.\\d{1,${exponent}})?$`);
  if (!pattern.test(trimmed)) {
    const decimals =
      exponent === 0 ? "without decimals" : `with at most ${exponent} decimal${exponent === 1 ? "" : "s"}`;
    return { ok: false, message: `a number ${decimals} (${currency.toUpperCase()})` };
  }
  const [whole, fraction = ""] = trimmed.split(".");
  const amountMinor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0");
  return { ok: true, money: { amountMinor, currency: currency.toUpperCase() } };
}
