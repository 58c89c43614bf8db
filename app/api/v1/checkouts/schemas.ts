import { z } from "zod";
import { ticketCheckoutRequestSchema } from "@/lib/payments/create-ticket-checkout";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";
import { type ApiResponse, defineOperation } from "@/lib/http/api-contract";

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

const checkoutResponse = {
  description: "The checkout",
  schema: checkoutResponseSchema,
  name: "Checkout",
} satisfies ApiResponse;

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const checkoutIdParams = z.object({ id: z.string() });

export const createCheckoutOperation = defineOperation({
  method: "POST",
  path: "/api/v1/checkouts",
  operationId: "createCheckout",
  summary: "Open a ticket checkout",
  auth: "client-token",
  scopes: ["tickets:write"],
  documents: ["ticket-sale"],
  request: {
    headers: z.object({
      "Idempotency-Key": z.string().min(1).max(255).meta({
        description:
          "Retries with the same key and body answer the same checkout; the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped to the client.",
      }),
    }),
    body: createCheckoutRequestSchema,
  },
  responses: { 201: { ...checkoutResponse, description: "The checkout (a replay answers the same one)" } },
  errors: {
    400: "Invalid body or missing Idempotency-Key",
    401: "Missing, invalid or expired access token",
    403: "The token lacks tickets:write",
    404: "No such theater",
    422: "Idempotency key reused with other parameters, amount mismatch, or no active split policy",
    503: "The payment provider is unavailable; retry with the same key",
  },
  reasons: [checkoutApiFailureReasons],
});

export const getCheckoutOperation = defineOperation({
  method: "GET",
  path: "/api/v1/checkouts/{id}",
  operationId: "getCheckout",
  summary: "A checkout's status",
  auth: "client-token",
  scopes: ["tickets:write"],
  documents: ["ticket-sale"],
  request: { params: checkoutIdParams },
  responses: { 200: checkoutResponse },
  errors: {
    401: "Missing, invalid or expired access token",
    404: "No checkout of this client has this id",
  },
  reasons: [checkoutApiFailureReasons],
});
