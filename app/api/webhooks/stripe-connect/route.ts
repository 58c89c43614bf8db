import { apiRoute } from "@/lib/http/api-route";
import { limits } from "@/lib/config/limits";
import { handleStripeWebhook } from "@/lib/payments/handle-stripe-webhook";
import { answer } from "@/lib/http/api-contract";
import { stripeWebhookResponseSchema } from "@/app/api/webhooks/webhook-schemas";

/**
 * Stripe's Connect webhook endpoint: the connected accounts' events (account.updated, their payouts), signed
 * with its own secret (STRIPE_CONNECT_WEBHOOK_SECRET). The body is handed over untouched.
 */
export const POST = apiRoute(
  async (req) => {
    const raw = await req.text();
    const { status, body } = await handleStripeWebhook(raw, req.headers.get("stripe-signature"), {
      endpoint: "connect",
    });
    return answer(stripeWebhookResponseSchema, body, { status, headers: { "cache-control": "no-store" } });
  },
  { crossOrigin: true, maxBodyBytes: limits.body.webhookBytes },
);
