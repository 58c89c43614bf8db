import "server-only";
import { ProviderRefusal, type ProviderEvent, type ProviderRefund } from "@/lib/payment-provider/provider";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { applyProviderRefund } from "@/lib/payments/apply-provider-refund";
import { holdRefundUntilPaid } from "@/lib/payments/hold-refund-until-paid";
import { findPaidPayment, type PaymentOfEvent } from "@/lib/payments/webhook-handlers/find-order-by-payment";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = { refunds: ProviderRefund[]; payment: PaymentOfEvent } | null;

/**
 * A charge was refunded, by us or from the provider's dashboard. Since API
 * version 2022-11-15 Stripe no longer embeds the charge's refunds in this
 * event, so they are listed from the provider before the transaction; each is
 * then brought into the ledger once by its id (the refund.* events do the same,
 * so whichever comes first records it and the other finds it recorded). The
 * charge may be an order's or a funder's payment (lib/funding): both are
 * adjusted alike.
 */
export const chargeRefunded: WebhookHandler<Context> = {
  async prepare(event: ProviderEvent) {
    const paymentRef = str(event.object.payment_intent) ?? str(event.object.id);
    if (!paymentRef) return null;
    const provider = providerFor(event.provider);
    try {
      const { orderId } = await provider.getPaymentDetails(paymentRef);
      return { payment: { paymentRef, orderId }, refunds: await provider.listRefunds(paymentRef) };
    } catch (e) {
      if (e instanceof ProviderRefusal) return null;
      throw e;
    }
  },
  async handle(tx, event, context) {
    if (!context) return { outcome: "ignored", note: "charge of no Guildhall payment" };
    const paid = await findPaidPayment(tx, event.provider, context.payment);
    if (!paid) {
      for (const refund of context.refunds) await holdRefundUntilPaid(tx, event.provider, refund);
      return {
        outcome: "ignored",
        note: `payment not recorded yet: ${context.refunds.length} refund(s) held until it is`,
      };
    }
    let changed = 0;
    for (const refund of context.refunds) {
      const applied = await applyProviderRefund(tx, {
        payment: paid,
        refund,
        actor: { type: "system", id: event.provider },
      });
      if (applied !== "unchanged") changed += 1;
    }
    return { outcome: changed > 0 ? "handled" : "ignored", note: `${changed} refund(s) changed` };
  },
};
