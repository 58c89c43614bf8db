import "server-only";
import { currencyExponent } from "@/lib/money/currency";

/** Formats integer minor units for people, e.g. 12345 EUR → "€123.45", 600 JPY → "¥600". Display only; never parsed back. */
export function formatMoney(amountMinor: number | bigint, currency: string): string {
  const digits = currencyExponent(currency);
  const n = typeof amountMinor === "bigint" ? amountMinor : BigInt(amountMinor);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const scale = 10n ** BigInt(digits);
  const whole = abs / scale;
  const frac = abs % scale;
  const symbol =
    new Intl.NumberFormat("en", { style: "currency", currency, currencyDisplay: "narrowSymbol" })
      .formatToParts(0)
      .find((p) => p.type === "currency")?.value ?? currency;
  const wholeText = whole.toLocaleString("en");
  return `${negative ? "−" : ""}${symbol}${wholeText}${digits > 0 ? `.${frac.toString().padStart(digits, "0")}` : ""}`;
}
