import "server-only";
import { ProviderRefusal, type ProviderEvent, type ProviderRefund } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { applyProviderRefund } from "@/lib/payments/apply-provider-refund";
import { holdRefundUntilPaid } from "@/lib/payments/hold-refund-until-paid";
import { findPaidPayment, type PaymentOfEvent } from "@/lib/payments/webhook-handlers/find-order-by-payment";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = { refund: ProviderRefund; payment: PaymentOfEvent | null } | null;

/**
 * A refund was made, changed or failed (`refund.created`, `refund.updated`,
 * `refund.failed`, and Stripe's older `charge.refund.updated`), by Guildhall
 * or in the provider's dashboard, of an order or a funder's payment. The refund's current state is fetched from
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
      if (!refund.paymentRef) return { refund, payment: null };
      const { orderId } = await provider.getPaymentDetails(refund.paymentRef);
      return { refund, payment: { paymentRef: refund.paymentRef, orderId } };
    } catch (e) {
      if (e instanceof ProviderRefusal) return null;
      throw e;
    }
  },
  async handle(tx, event, context) {
    if (!context) return { outcome: "ignored", note: "refund unknown to the provider" };
    const paid = await findPaidPayment(tx, event.provider, context.payment);
    if (!paid) {
      if (!context.payment) return { outcome: "ignored", note: "refund of no Guildhall payment" };
      await holdRefundUntilPaid(tx, event.provider, context.refund);
      return { outcome: "ignored", note: "refund of a payment not recorded yet: held until it is" };
    }
    const applied = await applyProviderRefund(tx, {
      payment: paid,
      refund: context.refund,
      actor: { type: "system", id: event.provider },
    });
    return {
      outcome: applied === "unchanged" ? "ignored" : "handled",
      note: `refund ${context.refund.id} ${context.refund.status}: ${applied}`,
    };
  },
};
