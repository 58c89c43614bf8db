import "server-only";
import type { ProviderEvent } from "@/lib/payment-provider/provider";

/**
 * The events the simulated provider delivers about a monthly funding, in Stripe's shapes and with ids made
 * from the objects they are about, so delivering one again (a page resubmitted, a round repeated after a
 * crash) is the same event and acts once.
 */
export function simulatedInvoicePaid({
  invoiceId,
  subscriptionId,
  fundingId,
}: {
  invoiceId: string;
  subscriptionId: string;
  fundingId: string;
}): ProviderEvent {
  return {
    provider: "simulated",
    id: `sim_evt_invoice_paid_${invoiceId}`,
    type: "invoice.paid",
    object: {
      id: invoiceId,
      object: "invoice",
      parent: {
        type: "subscription_details",
        subscription_details: { subscription: subscriptionId, metadata: { fundingId } },
      },
    },
  };
}

export function simulatedSubscriptionDeleted({
  subscriptionId,
  fundingId,
}: {
  subscriptionId: string;
  fundingId: string;
}): ProviderEvent {
  return {
    provider: "simulated",
    id: `sim_evt_subscription_deleted_${subscriptionId}`,
    type: "customer.subscription.deleted",
    object: { id: subscriptionId, object: "subscription", metadata: { fundingId } },
  };
}
