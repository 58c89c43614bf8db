import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { processProviderEvent, type EventProcessing } from "@/lib/payments/process-provider-event";
import { RetryLaterError } from "@/lib/payments/webhook-handlers/types";

/** Stripe's default: a signature older than five minutes is a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const verifier = new Stripe("sk_webhook_verification_only");

/**
 * The handlers read objects in the shapes of the SDK's pinned API version (Stripe.API_VERSION). Stripe
 * renders a webhook's objects in the endpoint's own version; since 2024-09-30 a version is a date and a
 * release name, and versions of one release name differ only in additions. So an event of another release
 * (an endpoint created with an older version) is refused with a 400 that names both versions, rather than
 * read in a shape the handlers do not know (a refund list that is not there, a field renamed).
 */
export function isSupportedApiVersion(version: string | null | undefined): boolean {
  const release = (v: string) => v.split(".")[1] ?? v;
  return typeof version === "string" && release(version) === release(Stripe.API_VERSION);
}

/**
 * Verifies a Stripe webhook on its raw body, byte for byte (re-serialized JSON
 * fails, as it should), then acts on it once. Answers:
 * 400 for a bad signature, tampered body or stale timestamp (retrying the same
 * bytes cannot help), or an event of an API version the handlers do not read;
 * 503 when the event came before the one it depends on; 2xx otherwise,
 * unknown event types included.
 *
 * Two endpoints, each with its own signing secret, as Stripe sets them up:
 * the platform's (`/api/webhooks/stripe`, STRIPE_WEBHOOK_SECRET: checkouts,
 * refunds, disputes, transfers) and Connect's (`/api/webhooks/stripe-connect`,
 * STRIPE_CONNECT_WEBHOOK_SECRET: events of the connected accounts, such as
 * account.updated and their payouts). A Connect event names its account; one
 * that does not is refused there, and the handlers see which account spoke.
 */
export async function handleStripeWebhook(
  rawBody: string,
  signatureHeader: string | null,
  opts: { secret?: string; endpoint?: "platform" | "connect" } = {},
): Promise<{ status: number; body: EventProcessing | { error: { code: string; message: string; reason?: string } } }> {
  const connect = opts.endpoint === "connect";
  const secret = opts.secret ?? (connect ? env().stripeConnectWebhookSecret : env().stripeWebhookSecret);
  if (!secret)
    throw new AppError("UNAVAILABLE", {
      userMessage: `Stripe webhooks are not configured (${connect ? "STRIPE_CONNECT_WEBHOOK_SECRET" : "STRIPE_WEBHOOK_SECRET"}).`,
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
  if (!isSupportedApiVersion(event.api_version))
    throw new AppError("BAD_REQUEST", {
      message: `event ${event.id} has API version ${String(event.api_version)}; the handlers read ${Stripe.API_VERSION}`,
      userMessage: `This endpoint reads events of Stripe API version ${Stripe.API_VERSION} (set the webhook endpoint's version to it).`,
      reason: "API_VERSION_UNSUPPORTED",
    });
  const account = typeof event.account === "string" ? event.account : null;
  if (connect && !account)
    throw new AppError("BAD_REQUEST", {
      userMessage: "The Connect endpoint takes only events of connected accounts.",
      reason: "NOT_A_CONNECT_EVENT",
    });
  try {
    const result = await processProviderEvent({
      provider: "stripe",
      id: event.id,
      type: event.type,
      account,
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
