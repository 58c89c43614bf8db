import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";
import { stripeWebhookResponseSchema, webhookOperation } from "@/app/api/webhooks/webhook-schemas";

export const stripeWebhookOperation = webhookOperation({
  path: "/api/webhooks/stripe",
  operationId: "receiveStripeEvent",
  summary: "Stripe's webhook endpoint",
  description: "The body is read as text and handed over untouched: the Stripe-Signature covers the exact bytes.",
  contentType: "application/json",
  response: stripeWebhookResponseSchema,
  reasons: [paymentsFailureReasons],
});
