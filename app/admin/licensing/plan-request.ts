import { parseMoney } from "@/lib/money/parse-money";

export type PlanRequest = {
  name: FormDataEntryValue | null;
  termDays: number;
  priceMinor: number;
  currency: string;
  entitlements: Record<string, number>;
};

/**
 * The body of POST /api/licensing/plans from the plan form: the price is
 * typed in major units of the chosen currency and sent as integer minor
 * units (600.00 EUR is 60000; 600 JPY is 600, a yen having no smaller unit).
 */
export function planRequestFromForm(form: FormData): { ok: true; body: PlanRequest } | { ok: false; message: string } {
  const currency = String(form.get("currency") ?? "");
  const price = parseMoney(String(form.get("price") ?? ""), currency);
  if (!price.ok) return { ok: false, message: `Price: ${price.message}.` };
  const entitlements = Object.fromEntries(
    ["venues", "seats", "showsPerMonth"].map((k) => [k, Number(form.get(k) ?? 0)]),
  );
  return {
    ok: true,
    body: {
      name: form.get("name"),
      termDays: Number(form.get("termDays")),
      priceMinor: Number(price.money.amountMinor),
      currency,
      entitlements,
    },
  };
}
