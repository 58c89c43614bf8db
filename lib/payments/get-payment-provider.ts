import { env } from "@/lib/config/env";
import type { PaymentProvider } from "@/lib/payments/provider";
import { simulatedProvider } from "@/lib/payments/simulated-provider";
import { createStripeProvider } from "@/lib/payments/stripe-provider";

let cached: { key: string; provider: PaymentProvider } | undefined;

/** Stripe when STRIPE_SECRET_KEY is set, the simulated provider otherwise (the embedded default). */
export function getPaymentProvider(): PaymentProvider {
  const { stripeSecretKey, stripeApiBase } = env();
  if (!stripeSecretKey) return simulatedProvider;
  const key = `${stripeSecretKey}|${stripeApiBase ?? ""}`;
  if (cached?.key !== key) cached = { key, provider: createStripeProvider({ secretKey: stripeSecretKey, apiBase: stripeApiBase }) };
  return cached.provider;
}
