import { apiRoute } from "@/lib/http/api-route";
import { limits } from "@/lib/config/limits";
import { handleStripeWebhook } from "@/lib/payments/handle-stripe-webhook";
import { answer } from "@/lib/http/api-contract";
import { stripeWebhookResponseSchema } from "@/app/api/webhooks/webhook-schemas";

/**
 * Stripe's webhook endpoint. The body is read as text and handed over
 * untouched: the signature covers the exact bytes.
 */
export const POST = apiRoute(
  async (req) => {
    const raw = await req.text();
    const { status, body } = await handleStripeWebhook(raw, req.headers.get("stripe-signature"));
    return answer(stripeWebhookResponseSchema, body, { status, headers: { "cache-control": "no-store" } });
  },
  { crossOrigin: true, maxBodyBytes: limits.body.webhookBytes },
);
