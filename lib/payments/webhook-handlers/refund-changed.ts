import "server-only";
import { ProviderRefusal, type ProviderEvent, type ProviderRefund } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { applyProviderRefund } from "@/lib/payments/apply-provider-refund";
import { findPaidOrder } from "@/lib/payments/webhook-handlers/find-order-by-payment";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = { refund: ProviderRefund; orderId: string | null } | null;

/**
 * A refund was made, changed or failed (`refund.created`, `refund.updated`,
 * `refund.failed`, and Stripe's older `charge.refund.updated`), by Guildhall
 * or in the provider's dashboard. The refund's current state is fetched from
 * the provider before the transaction (the event's copy may be older than
 * another event already handled), and the ledger is brought to it.
 */
export const refundChanged: WebhookHandler<Context> = {
  async prepare(event: ProviderEvent) {
    const refundId = str(event.object.id);
    if (!refundId) return null;
    const provider = providerFor(event.provider);
    try {
      const refund = await provider.getRefund(refundId);
      if (!refund.paymentRef) return { refund, orderId: null };
      return { refund, orderId: (await provider.getPaymentDetails(refund.paymentRef)).orderId };
    } catch (e) {
      if (e instanceof ProviderRefusal) return null;
      throw e;
    }
  },
  async handle(tx, event, context) {
    if (!context) return { outcome: "ignored", note: "refund unknown to the provider" };
    const order = await findPaidOrder(tx, context.orderId);
    if (!order) return { outcome: "ignored", note: "refund of no Guildhall order" };
    const applied = await applyProviderRefund(tx, order.id, context.refund, { type: "system", id: event.provider });
    return {
      outcome: applied === "unchanged" ? "ignored" : "handled",
      note: `refund ${context.refund.id} ${context.refund.status}: ${applied}`,
    };
  },
};
