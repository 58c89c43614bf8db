import { describe, expect, it } from "vitest";
import { planRequestFromForm } from "@/app/admin/licensing/plan-request";

function planForm(price: string, currency: string): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries({
    name: "Stage",
    termDays: "365",
    price,
    currency,
    venues: "1",
    seats: "400",
    showsPerMonth: "30",
  }))
    form.set(k, v);
  return form;
}

describe("the plan form's price", () => {
  it("is sent in minor units of its currency: cents for EUR, whole yen for JPY", () => {
    expect(planRequestFromForm(planForm("600.00", "EUR"))).toMatchObject({
      ok: true,
      body: { priceMinor: 60000, currency: "EUR" },
    });
    expect(planRequestFromForm(planForm("600.5", "EUR"))).toMatchObject({ ok: true, body: { priceMinor: 60050 } });
    expect(planRequestFromForm(planForm("600", "JPY"))).toMatchObject({
      ok: true,
      body: { priceMinor: 600, currency: "JPY" },
    });
  });

  it("refuses decimals the currency does not have", () => {
    expect(planRequestFromForm(planForm("600.5", "JPY"))).toEqual({
      ok: false,
      message: "Price: a number without decimals (JPY).",
    });
    expect(planRequestFromForm(planForm("600.505", "EUR"))).toEqual({
      ok: false,
      message: "Price: a number with at most 2 decimals (EUR).",
    });
    expect(planRequestFromForm(planForm("six", "EUR"))).toMatchObject({ ok: false });
  });
});
