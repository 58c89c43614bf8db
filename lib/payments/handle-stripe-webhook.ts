import Stripe from "stripe";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { processProviderEvent, type EventProcessing } from "@/lib/payments/process-provider-event";
import { RetryLaterError } from "@/lib/payments/webhook-handlers/types";

/** Stripe's default: a signature older than five minutes is a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const verifier = new Stripe("sk_webhook_verification_only");

/**
 * Verifies a Stripe webhook on its raw body, byte for byte (re-serialized JSON
 * fails, as it should), then acts on it once. Answers:
 * 400 for a bad signature, tampered body or stale timestamp (retrying the same
 * bytes cannot help); 503 when the event came before the one it depends on;
 * 2xx otherwise, unknown event types included.
 */
export async function handleStripeWebhook(
  rawBody: string,
  signatureHeader: string | null,
  opts: { secret?: string } = {},
): Promise<{ status: number; body: EventProcessing | { error: { code: string; message: string; reason?: string } } }> {
  const secret = opts.secret ?? env().stripeWebhookSecret;
  if (!secret)
    throw new AppError("UNAVAILABLE", {
      userMessage: "Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).",
      reason: "WEBHOOK_NOT_CONFIGURED",
    });
  if (!signatureHeader)
    throw new AppError("BAD_REQUEST", { userMessage: "Missing Stripe-Signature header.", reason: "SIGNATURE_MISSING" });
  let event: Stripe.Event;
  try {
    event = verifier.webhooks.constructEvent(rawBody, signatureHeader, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (e) {
    throw new AppError("BAD_REQUEST", {
      message: e instanceof Error ? e.message : String(e),
      userMessage: "The webhook signature does not verify.",
      reason: "SIGNATURE_INVALID",
    });
  }
  try {
    const result = await processProviderEvent({
      provider: "stripe",
      id: event.id,
      type: event.type,
      object: event.data.object as unknown as Record<string, unknown>,
    });
    return { status: 200, body: result };
  } catch (e) {
    if (e instanceof RetryLaterError)
      return {
        status: 503,
        body: {
          error: { code: "UNAVAILABLE", message: "Not ready for this event yet; retry later.", reason: "RETRY_LATER" },
        },
      };
    throw e;
  }
}
