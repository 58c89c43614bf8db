import "server-only";
import { env } from "@/lib/config/env";
import type { PaymentProvider } from "@/lib/payment-provider/provider";
import { simulatedProvider } from "@/lib/payment-provider/simulated-provider";
import { createStripeProvider } from "@/lib/payment-provider/stripe-provider";
import { log } from "@/lib/log";

let cached: { key: string; provider: PaymentProvider } | undefined;
let warned = false;

/** Stripe when STRIPE_SECRET_KEY is set, the simulated provider otherwise (the embedded default). */
export function getPaymentProvider(): PaymentProvider {
  const { stripeSecretKey, stripeApiBase } = env();
  if (!stripeSecretKey) {
    // A production portal on the simulated provider takes test cards as payment: say so loudly, once.
    if (env().production && !warned) {
      warned = true;
      log.warn(
        "payments use the SIMULATED provider (no STRIPE_SECRET_KEY): test cards are accepted and no real money moves",
      );
    }
    return simulatedProvider;
  }
  const key = `${stripeSecretKey}|${stripeApiBase ?? ""}`;
  if (cached?.key !== key)
    cached = { key, provider: createStripeProvider({ secretKey: stripeSecretKey, apiBase: stripeApiBase }) };
  return cached.provider;
}
