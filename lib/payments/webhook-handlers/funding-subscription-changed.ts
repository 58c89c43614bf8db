import "server-only";
import { applyFundingSubscription } from "@/lib/funding/apply-funding-subscription";
import type { FundingSubscription } from "@/lib/payment-provider/provider";
import { fromProvider, fundingIdOf } from "@/lib/payments/webhook-handlers/funding-events";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = { fundingId: string; subscription: FundingSubscription | { unconfirmed: string } } | null;

/** The subscription an event is about: the subscription itself, or the one an invoice bills. */
function subscriptionIdOf(object: Record<string, unknown>): string | null {
  if (object.object === "subscription") return str(object.id);
  const parent = object.parent as { subscription_details?: { subscription?: unknown } } | undefined;
  return str(parent?.subscription_details?.subscription);
}

/**
 * A funding subscription changed (`customer.subscription.updated` or `.deleted`) or a renewal's payment
 * failed (`invoice.payment_failed`: the provider retries, the funding is past due): the subscription is read
 * from the provider and the funding takes its current state, so late or repeated events change nothing.
 */
export const fundingSubscriptionChanged: WebhookHandler<Context> = {
  async prepare(event) {
    const fundingId = fundingIdOf(event.object);
    const subscriptionId = subscriptionIdOf(event.object);
    if (!fundingId || !subscriptionId) return null;
    return { fundingId, subscription: await fromProvider(event, (p) => p.getFundingSubscription(subscriptionId)) };
  },
  async handle(tx, event, context) {
    if (!context) return { outcome: "ignored", note: "not a funding subscription" };
    const sub = context.subscription;
    if ("unconfirmed" in sub) return { outcome: "ignored", note: `subscription not confirmed: ${sub.unconfirmed}` };
    if (sub.fundingId !== context.fundingId) return { outcome: "ignored", note: "subscription names another funding" };
    const applied = await applyFundingSubscription(tx, {
      fundingId: context.fundingId,
      subscription: { ...sub, provider: event.provider },
      actor: { type: "system", id: event.provider },
    });
    return applied.changed ? { outcome: "handled" } : { outcome: "ignored", note: `funding already ${applied.status}` };
  },
};
