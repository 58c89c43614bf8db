import "server-only";
import { z } from "zod";
import { currencySchema } from "@/lib/money/currency";
import { MAX_ORDER_AMOUNT_MINOR } from "@/lib/payments/checkout-schema";

/** Entitlements are named non-negative counts: venues, seats, shows per month... */
export const entitlementsSchema = z
  .record(
    z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, "entitlement names are camelCase words"),
    z.number().int().nonnegative().max(1_000_000_000),
  )
  .refine((e) => Object.keys(e).length <= 20, "at most 20 entitlements");

export const licensePlanInputSchema = z.object({
  name: z.string().trim().min(2).max(80),
  termDays: z.number().int().min(1).max(3660),
  // At least one minor unit: a checkout of nothing is refused by payments (AMOUNT_ZERO).
  priceMinor: z.number().int().min(1).max(MAX_ORDER_AMOUNT_MINOR),
  currency: currencySchema,
  entitlements: entitlementsSchema,
});

export type LicensePlanInput = z.input<typeof licensePlanInputSchema>;
