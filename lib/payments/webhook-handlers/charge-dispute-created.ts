import "server-only";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import {
  findPaidPayment,
  type PaymentOfEvent,
  paymentOfEvent,
} from "@/lib/payments/webhook-handlers/find-order-by-payment";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * A customer disputed a charge and the disputed amount left the balance (`charge.dispute.created`, and
 * `charge.dispute.funds_withdrawn`, whichever comes first; the second finds it recorded): the split of the
 * order, or of the funder's payment, is reversed proportionally. An inquiry (status warning_*) takes no
 * money yet, so it changes nothing until its funds are withdrawn.
 */
export const chargeDisputeCreated: WebhookHandler<PaymentOfEvent | null> = {
  prepare: paymentOfEvent,
  async handle(tx, event, payment) {
    const paid = await findPaidPayment(tx, event.provider, payment);
    if (!paid) return { outcome: "ignored", note: "dispute of no Guildhall payment" };
    if (String(event.object.status ?? "").startsWith("warning_"))
      return { outcome: "ignored", note: "an inquiry: no funds withdrawn yet" };
    const disputeId = str(event.object.id);
    if (!disputeId) return { outcome: "ignored", note: "a dispute without an id" };
    const amount = Number(event.object.amount);
    const r = await recordPaymentAdjustment(tx, {
      ...paid,
      kind: "dispute",
      amountMinor: amount,
      providerRef: disputeId,
      actor: { type: "system", id: event.provider },
    });
    return { outcome: r.duplicate ? "ignored" : "handled" };
  },
};
