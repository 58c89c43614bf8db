import "server-only";
import { z } from "zod";
import { currencySchema } from "@/lib/money/currency";
import { productKinds } from "@/lib/splits/split-policy-schema";

/**
 * One order may total at most this many minor units: Stripe's own cap (eight digits, 999,999.99 in a
 * two-decimal currency), so an order Guildhall accepts is never one Stripe refuses at checkout.
 */
export const MAX_ORDER_AMOUNT_MINOR = 99_999_999;

const relativePath = z
  .string()
  .regex(/^\/(?!\/)[^\s]*$/, "must be a path on this site, starting with a single /")
  .max(500);

export const fulfilmentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("license"), licenseId: z.string().min(1).max(100) }),
  z.object({
    kind: z.literal("ticket"),
    showId: z.string().min(1).max(200),
    externalRef: z.string().min(1).max(200).optional(),
  }),
]);
export type Fulfilment = z.infer<typeof fulfilmentSchema>;
export type FulfilmentKind = Fulfilment["kind"];

export const lineItemSchema = z.object({
  name: z.string().trim().min(1).max(200),
  quantity: z.number().int().min(1).max(10_000),
  unitAmountMinor: z.number().int().min(0).max(MAX_ORDER_AMOUNT_MINOR),
});

export const checkoutInputSchema = z
  .object({
    productKind: z.enum(productKinds),
    theaterOrgId: z.string().min(1).max(100),
    description: z.string().trim().min(1).max(500),
    lineItems: z.array(lineItemSchema).min(1).max(100),
    currency: currencySchema,
    fulfilment: fulfilmentSchema,
    successPath: relativePath,
    cancelPath: relativePath,
    idempotencyKey: z.string().min(1).max(255).optional(),
  })
  .refine((c) => (c.productKind === "LICENSE_SALE") === (c.fulfilment.kind === "license"), {
    message: "license sales fulfil a license and ticket sales fulfil tickets",
    path: ["fulfilment", "kind"],
  });

export type CheckoutParams = z.infer<typeof checkoutInputSchema>;

/** The amount is always the server's sum of the line items, in integer minor units. */
export function orderAmountMinor(lineItems: { quantity: number; unitAmountMinor: number }[]): number {
  return lineItems.reduce((sum, li) => sum + li.quantity * li.unitAmountMinor, 0);
}
