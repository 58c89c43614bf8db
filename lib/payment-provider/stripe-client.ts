import "server-only";
import Stripe from "stripe";
import { ProviderRefusal } from "@/lib/payment-provider/provider";

export type StripeProviderOptions = {
  secretKey: string;
  /** Another API base (a local HTTP double in tests); the path prefix /v1/ is the SDK's. */
  apiBase?: string;
};

export function stripeClient(opts: StripeProviderOptions): Stripe {
  const base = opts.apiBase ? new URL(opts.apiBase) : undefined;
  return new Stripe(opts.secretKey, {
    maxNetworkRetries: base ? 0 : 2,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/**
 * Turns the SDK's card and invalid-request errors into refusals (retrying will
 * not help) and lets connection and server errors through, so the outbox retries them.
 */
export async function refusalsMapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (
      e instanceof Stripe.errors.StripeCardError ||
      e instanceof Stripe.errors.StripeInvalidRequestError ||
      e instanceof Stripe.errors.StripePermissionError
    ) {
      throw new ProviderRefusal(e.message, e.code ?? e.type);
    }
    throw e;
  }
}

export function idOf(v: string | { id: string } | null | undefined): string | null {
  return v == null ? null : typeof v === "string" ? v : v.id;
}
