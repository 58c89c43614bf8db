import "server-only";
import { z } from "zod";

/** The JOSE `typ` of a receipt: a verifier refuses any other, so no other Guildhall JWS passes as a receipt. */
export const RECEIPT_TYP = "guildhall-receipt+jws";

const minor = z.number().int().min(0);

/** One payee's part of the sale's net amount, as the ledger credited it. */
const splitPartSchema = z.object({
  payee: z.enum(["theater", "host", "developers_fund", "org"]),
  orgId: z.string().nullable(),
  amountMinor: minor,
});

/**
 * The payload of a receipt, version 1 (docs/RECEIPTS.md). Amounts are integer
 * minor units of `price.currency`; `split.parts` add up to `price.amountMinor
 * - price.feeMinor`. `sub` is the buyer's pairwise subject for the theater,
 * absent for an anonymous sale. `log.index` is the transparency-log entry of
 * the order's `order.paid` event, which repeats the amount, fee and ledger
 * entry id, so the receipt can be held to the public log.
 */
export const receiptClaimsSchema = z
  .object({
    v: z.literal(1),
    iss: z.string().meta({ description: "The Guildhall that signed it (its public URL)" }),
    jti: z.string().regex(/^rcp_/),
    iat: z.number().int().meta({ description: "Seconds since the epoch when the receipt was signed" }),
    sub: z.string().optional().meta({ description: "The buyer's pairwise subject for this theater" }),
    order: z.string().regex(/^ord_/),
    kind: z.enum(["ticket", "license"]),
    item: z.object({
      description: z.string(),
      lineItems: z.array(z.object({ name: z.string(), quantity: z.number().int(), unitAmountMinor: minor })),
      showId: z.string().optional(),
      externalRef: z.string().optional(),
      quantity: z.number().int().optional(),
      licenseId: z.string().optional(),
    }),
    theater: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    price: z.object({ amountMinor: minor, currency: z.string().length(3), feeMinor: minor }),
    split: z.object({
      policyId: z.string(),
      policyVersion: z.number().int(),
      entryId: z.string(),
      parts: z.array(splitPartSchema),
    }),
    paidAt: z.string().meta({ format: "date-time" }),
    log: z.object({ origin: z.string(), index: z.number().int().min(0), action: z.literal("order.paid") }),
  })
  .strict();

export type ReceiptClaims = z.infer<typeof receiptClaimsSchema>;
