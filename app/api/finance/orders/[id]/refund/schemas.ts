import { z } from "zod";
import { defineOperation, isoDateTime } from "@/lib/http/api-contract";
import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";
import { paymentProviderFailureReasons } from "@/lib/payment-provider/failure-reasons";
import { formOrJson, seeOtherResponse } from "@/app/api/finance/finance-schemas";

const requestKey = z.string().min(8).max(100);

/**
 * The body as a caller sends it. The submission's key: a form carries one made when it was rendered; an API
 * caller sends its own, in the body or as the Idempotency-Key header, so neither is required on its own.
 */
export const refundBodySchema = z.object({
  amountMinor: z.coerce.number().int().positive(),
  reason: z.string().trim().min(3, "Say why the money goes back.").max(500),
  requestKey: requestKey.optional().meta({ description: "Required unless the Idempotency-Key header is sent" }),
});

/** The submission the route hands on: the body's requestKey, or else the header's, one of them required. */
export const refundRequestSchema = refundBodySchema.extend({ requestKey });

export const refundResponseSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  reason: z.string(),
  status: z.string(),
  providerRefundId: z.string().nullable(),
  providerStatus: z.string().nullable(),
  requestedById: z.string(),
  approvedById: z.string().nullable(),
  failureMessage: z.string().nullable(),
  createdAt: isoDateTime,
  duplicate: z.boolean().meta({ description: "True when this answer repeats an earlier submission" }),
});

/** The path parameters, parsed by the route (apiRoute's `params`) and published in the OpenAPI document. */
export const pathParams = z.object({ id: z.string() });

export const refundOrderOperation = defineOperation({
  method: "POST",
  path: "/api/finance/orders/{id}/refund",
  operationId: "refundOrder",
  summary: "Refund part or all of a paid order (above a threshold, a second finance user approves)",
  auth: "session",
  access: "FINANCE",
  request: {
    params: pathParams,
    headers: z.object({
      "Idempotency-Key": requestKey.optional().meta({ description: "The requestKey, when the body has none" }),
    }),
    body: refundBodySchema,
    bodyTypes: formOrJson,
  },
  responses: { 200: { description: "The refund", schema: refundResponseSchema }, 303: seeOtherResponse },
  errors: {
    404: "No such order",
    409: "The order is not paid, or the refund is on its way",
    422: "More than can be refunded, or the same key with another amount",
    503: "The payment provider did not answer: submit the same refund again",
  },
  reasons: [paymentsFailureReasons, paymentProviderFailureReasons],
});
