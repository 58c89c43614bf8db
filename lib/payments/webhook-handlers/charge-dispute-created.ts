import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { findPaidOrder, orderIdOfPaymentEvent } from "@/lib/payments/webhook-handlers/find-order-by-payment";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/** A customer disputed a charge: the disputed amount leaves, the split is reversed proportionally. */
export const chargeDisputeCreated: WebhookHandler<string | null> = {
  prepare: orderIdOfPaymentEvent,
  async handle(tx, event, orderId) {
    const order = await findPaidOrder(tx, orderId);
    if (!order) return { outcome: "ignored", note: "dispute of no Guildhall order" };
    const amount = Number(event.object.amount);
    const r = await recordPaymentAdjustment(tx, {
      orderId: order.id,
      kind: "dispute",
      amountMinor: amount,
      providerRef: str(event.object.id)!,
      actor: { type: "system", id: event.provider },
    });
    return { outcome: r.duplicate ? "ignored" : "handled" };
  },
};
