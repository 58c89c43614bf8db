import "server-only";
import { ProviderRefusal, type ProviderCheckoutSession } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";

/** A stored session closer than this to its end is replaced rather than handed out: nobody pays in a minute. */
export const SESSION_END_MARGIN_MS = 10 * 60_000;

/**
 * Expires a checkout session at its provider, so it can no longer take payment, and answers where it
 * stands (a session paid meanwhile says so). One the provider does not know (a simulated session recorded
 * before sessions were kept) can take no payment either: it counts as expired.
 */
export async function expireOrForget(provider: string, sessionId: string): Promise<ProviderCheckoutSession> {
  try {
    return await providerFor(provider).expireCheckoutSession(sessionId);
  } catch (e) {
    if (e instanceof ProviderRefusal && e.code === "resource_missing")
      return { state: "expired", paymentRef: null, expiresAt: new Date() };
    throw e;
  }
}
