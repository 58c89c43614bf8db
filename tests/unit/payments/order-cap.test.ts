import { describe, expect, it } from "vitest";
import { checkoutInputSchema, MAX_ORDER_AMOUNT_MINOR } from "@/lib/payments/checkout-schema";

const input = (unitAmountMinor: number) => ({
  productKind: "TICKET_SALE",
  theaterOrgId: "org_1",
  description: "Hamlet",
  lineItems: [{ name: "Seat", quantity: 1, unitAmountMinor }],
  currency: "EUR",
  fulfilment: { kind: "ticket", showId: "show-1" },
  successPath: "/done",
  cancelPath: "/cancelled",
});

describe("the order cap", () => {
  it("is Stripe's 99,999,999 minor units for one charge: a line item above it is refused at the edge", () => {
    expect(MAX_ORDER_AMOUNT_MINOR).toBe(99_999_999);
    expect(checkoutInputSchema.safeParse(input(99_999_999)).success).toBe(true);
    expect(checkoutInputSchema.safeParse(input(100_000_000)).success).toBe(false);
  });
});

describe("a checkout's fulfilment", () => {
  it("cannot carry a store's paid-until end: only the app-store domain sets it, so a web checkout's input drops it", () => {
    const parsed = checkoutInputSchema.parse({
      ...input(4999),
      productKind: "LICENSE_SALE",
      fulfilment: { kind: "license", licenseId: "lic_1", paidUntil: "2099-01-01T00:00:00.000Z" },
    });
    expect(parsed.fulfilment).toEqual({ kind: "license", licenseId: "lic_1" });
  });
});
