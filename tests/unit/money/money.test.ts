import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, currencySchema } from "@/lib/money/currency";
import { formatMoney } from "@/lib/money/format-money";
import { minorUnitsAsNumber, money } from "@/lib/money/money";
import { parseMoney } from "@/lib/money/parse-money";
import { refundableMinor } from "@/lib/money/refundable-amount";

describe("currencies", () => {
  it("have ISO 4217's minor units: two by default, none for JPY, three for KWD", () => {
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("usd")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
    expect(currencyExponent("IQD")).toBe(3);
  });

  it("are ISO 4217 currencies in circulation: made-up, fund and test codes are refused", () => {
    for (const code of ["NAN", "ABC", "XXX", "XTS", "XAU", "CLF", "HRK"])
      expect(currencySchema.safeParse(code).success).toBe(false);
    for (const code of ["eur", "USD", "JPY", "KWD", "CHF", "XOF"])
      expect(currencySchema.safeParse(code).success).toBe(true);
  });

  it("are three letters, kept upper case", () => {
    expect(currencySchema.parse("eur")).toBe("EUR");
    expect(currencySchema.safeParse("EURO").success).toBe(false);
    expect(currencySchema.safeParse("E1R").success).toBe(false);
  });
});

describe("money", () => {
  it("is bigint minor units of an upper-case currency", () => {
    expect(money(1250, "eur")).toEqual({ amountMinor: 1250n, currency: "EUR" });
  });

  it("becomes a number only while it is a safe integer", () => {
    expect(minorUnitsAsNumber(2n ** 53n - 1n)).toBe(2 ** 53 - 1);
    expect(() => minorUnitsAsNumber(2n ** 53n)).toThrow(RangeError);
    expect(() => minorUnitsAsNumber(1.5)).toThrow(RangeError);
  });

  it("is read from major units without a float", () => {
    expect(parseMoney("0.10", "EUR")).toEqual({ ok: true, money: { amountMinor: 10n, currency: "EUR" } });
    expect(parseMoney(" 1200 ", "USD")).toEqual({ ok: true, money: { amountMinor: 120000n, currency: "USD" } });
    expect(parseMoney("600", "jpy")).toEqual({ ok: true, money: { amountMinor: 600n, currency: "JPY" } });
    expect(parseMoney("1.234", "KWD")).toEqual({ ok: true, money: { amountMinor: 1234n, currency: "KWD" } });
    for (const bad of ["", "-1", "1,5", "1e3", ".5", "1.", "0x10"]) expect(parseMoney(bad, "EUR").ok).toBe(false);
    expect(parseMoney("1.5", "JPY")).toEqual({ ok: false, message: "a number without decimals (JPY)" });
  });

  it("reads back what it formats, for every amount and exponent", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.constantFrom("EUR", "JPY", "KWD"),
        (amountMinor, currency) => {
          const text = formatMoney(amountMinor, currency)
            .replace(/^[^\d]+/, "")
            .replaceAll(",", "");
          expect(parseMoney(text, currency)).toEqual({ ok: true, money: { amountMinor, currency } });
        },
      ),
    );
  });

  it("is formatted with the currency's own decimals", () => {
    expect(formatMoney(12345, "EUR")).toBe("€123.45");
    expect(formatMoney(-5n, "USD")).toBe("−$0.05");
    expect(formatMoney(600, "JPY")).toBe("¥600");
    expect(formatMoney(1234567n, "JPY")).toBe("¥1,234,567");
  });
});

describe("the refundable amount of an order", () => {
  it("is what neither a refund nor a dispute has taken back", () => {
    expect(refundableMinor({ amountMinor: 10_000n, refundedMinor: 2_500n, disputedMinor: 1_000n })).toBe(6_500n);
    expect(refundableMinor({ amountMinor: 10_000n, refundedMinor: 10_000n, disputedMinor: 0n })).toBe(0n);
  });
});
