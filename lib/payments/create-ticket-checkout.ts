import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { createCheckout } from "@/lib/payments/create-checkout";
import { lineItemSchema, orderAmountMinor } from "@/lib/payments/checkout-schema";
import { currencySchema } from "@/lib/money/currency";
import { resolveBuyerOfAccessToken } from "@/lib/payments/receipts/resolve-buyer-of-access-token";

export const ticketCheckoutRequestSchema = z.object({
  theaterOrgId: z.string().min(1).max(100),
  showId: z.string().min(1).max(200),
  externalRef: z.string().min(1).max(200).optional(),
  description: z.string().trim().min(1).max(500),
  currency: currencySchema,
  lineItems: z.array(lineItemSchema).min(1).max(100),
  /** Optional: when given it must equal the sum of the line items, which is what is charged. */
  amountMinor: z.number().int().positive().optional(),
  buyerAccessToken: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .meta({
      description:
        "The buyer's access token, as this client received it when the buyer signed in: names the buyer on the receipt " +
        "(by a pairwise subject for the theater) and lists the purchase in their account. Without it the sale is anonymous.",
    }),
});

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

/**
 * POST /api/v1/checkouts: a host backend or app opens a ticket checkout for a
 * show. The Idempotency-Key is required and scoped to the client; the amount
 * is the server's sum of the line items.
 */
export async function createTicketCheckout({
  body,
  clientId,
  idempotencyKey,
}: {
  body: unknown;
  clientId: string;
  idempotencyKey: string | null;
}) {
  if (!idempotencyKey)
    throw new AppError("BAD_REQUEST", {
      userMessage: "The Idempotency-Key header is required.",
      reason: "IDEMPOTENCY_KEY_REQUIRED",
    });
  const key = idempotencyKeySchema.parse(idempotencyKey);
  const req = ticketCheckoutRequestSchema.parse(body);
  if (req.amountMinor !== undefined && req.amountMinor !== orderAmountMinor(req.lineItems)) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: "amountMinor does not equal the sum of the line items.",
      reason: "AMOUNT_MISMATCH",
    });
  }
  const buyerUserId = req.buyerAccessToken
    ? await resolveBuyerOfAccessToken({ token: req.buyerAccessToken, clientId })
    : null;
  return createCheckout({
    buyerUserId,
    productKind: "TICKET_SALE",
    theaterOrgId: req.theaterOrgId,
    description: req.description,
    lineItems: req.lineItems,
    currency: req.currency,
    fulfilment: { kind: "ticket", showId: req.showId, ...(req.externalRef ? { externalRef: req.externalRef } : {}) },
    successPath: "/pay/done",
    cancelPath: "/pay/cancelled",
    actor: { type: "client", id: clientId },
    idempotencyKey: key,
  });
}
