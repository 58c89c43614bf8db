import "server-only";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal, type ProviderEvent } from "@/lib/payment-provider/provider";
import { RetryLaterError, str } from "@/lib/payments/webhook-handlers/types";

/** The funding a provider object names in its metadata (a checkout session, subscription, or invoice's). */
export function fundingIdOf(object: Record<string, unknown>): string | null {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const parent = object.parent as { subscription_details?: { metadata?: Record<string, unknown> } } | undefined;
  return str(metadata?.fundingId) ?? str(parent?.subscription_details?.metadata?.fundingId) ?? null;
}

/**
 * Reads something from the provider before the transaction: the state it holds now is what the handler acts
 * on, not the event's copy (events arrive out of order). A provider that does not answer is a 503 (it
 * retries); one that says the object does not exist is recorded as ignored with the reason.
 */
export async function fromProvider<T>(
  event: ProviderEvent,
  read: (provider: ReturnType<typeof providerFor>) => Promise<T>,
): Promise<T | { unconfirmed: string }> {
  try {
    return await read(providerFor(event.provider));
  } catch (e) {
    if (e instanceof ProviderRefusal) return { unconfirmed: `${e.code}: ${e.message}` };
    throw new RetryLaterError(`provider could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}
