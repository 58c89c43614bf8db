import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { findPaidOrder, orderIdOfPaymentEvent } from "@/lib/payments/webhook-handlers/find-order-by-payment";
import type { WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * A charge was refunded, by us or from the provider's dashboard. Each refund
 * in the charge's list is recorded once by its id, so a refund we already
 * recorded when we asked for it changes nothing here.
 */
export const chargeRefunded: WebhookHandler<string | null> = {
  prepare: orderIdOfPaymentEvent,
  async handle(tx, event, orderId) {
    const order = await findPaidOrder(tx, orderId);
    if (!order) return { outcome: "ignored", note: "charge of no Guildhall order" };
    const refunds = ((event.object.refunds as { data?: unknown[] } | undefined)?.data ?? []) as {
      id: string;
      amount: number;
      status?: string;
    }[];
    let recorded = 0;
    for (const refund of refunds) {
      if (refund.status && refund.status !== "succeeded" && refund.status !== "pending") continue;
      const r = await recordPaymentAdjustment(tx, {
        orderId: order.id,
        kind: "refund",
        amountMinor: refund.amount,
        providerRef: refund.id,
        actor: { type: "system", id: event.provider },
      });
      if (!r.duplicate) recorded += 1;
    }
    return { outcome: recorded > 0 ? "handled" : "ignored", note: `${recorded} new refund(s)` };
  },
};
