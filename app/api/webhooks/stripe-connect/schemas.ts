import { paymentsFailureReasons } from "@/lib/payments/failure-reasons";
import { payoutsFailureReasons } from "@/lib/payouts/failure-reasons";
import { stripeWebhookResponseSchema, webhookOperation } from "@/app/api/webhooks/webhook-schemas";

export const stripeConnectWebhookOperation = webhookOperation({
  path: "/api/webhooks/stripe-connect",
  operationId: "receiveStripeConnectEvent",
  summary: "Stripe's Connect webhook endpoint: the connected accounts' events",
  description:
    "account.updated and the connected accounts' payouts, signed with the Connect endpoint's own secret. The body is handed over untouched.",
  contentType: "application/json",
  response: stripeWebhookResponseSchema,
  reasons: [paymentsFailureReasons, payoutsFailureReasons],
});
