import { z } from "zod";
import { ticketCheckoutRequestSchema } from "@/lib/payments/create-ticket-checkout";

/** POST /api/v1/checkouts: the body (the domain parses it with this schema). */
export const createCheckoutRequestSchema = ticketCheckoutRequestSchema;

/** What both checkout routes answer, and nothing more: a field the domain adds stays inside until it is added here. */
export const checkoutResponseSchema = z.object({
  id: z.string().meta({ examples: ["ord_3b1Yz..."] }),
  status: z.enum(["open", "paid", "failed", "expired"]),
  productKind: z.enum(["TICKET_SALE", "LICENSE_SALE"]),
  theaterOrgId: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  refundedMinor: z.number().int(),
  url: z.string().nullable().meta({ description: "Where the buyer pays, while the checkout is open" }),
  fulfilment: z.record(z.string(), z.unknown()),
  createdAt: z.string().meta({ format: "date-time" }),
  paidAt: z.string().nullable().meta({ format: "date-time" }),
  receipt: z.string().nullable().meta({
    description:
      "The signed receipt (compact JWS, typ guildhall-receipt+jws) once paid; keys at /.well-known/guildhall/receipt-keys",
  }),
});

export type CheckoutResponse = z.output<typeof checkoutResponseSchema>;
