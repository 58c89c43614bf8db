import "server-only";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { holdDisputeUntilPaid } from "@/lib/payments/hold-dispute-until-paid";
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
 * money yet, so it changes nothing until its funds are withdrawn. A dispute of a funder's payment not recorded
 * yet (its invoice.paid comes later) is held and applied with the payment (holdDisputeUntilPaid).
 */
export const chargeDisputeCreated: WebhookHandler<PaymentOfEvent | null> = {
  prepare: paymentOfEvent,
  async handle(tx, event, payment) {
    const paid = await findPaidPayment(tx, event.provider, payment);
    if (!payment) return { outcome: "ignored", note: "dispute of no Guildhall payment" };
    if (String(event.object.status ?? "").startsWith("warning_"))
      return { outcome: "ignored", note: "an inquiry: no funds withdrawn yet" };
    const disputeId = str(event.object.id);
    if (!disputeId) return { outcome: "ignored", note: "a dispute without an id" };
    const amount = Number(event.object.amount);
    if (!paid) {
      // Not an order's payment, and no funder's payment recorded with its reference yet.
      if (payment.orderId) return { outcome: "ignored", note: "dispute of no Guildhall payment" };
      if (!Number.isSafeInteger(amount) || amount <= 0)
        return { outcome: "ignored", note: "a dispute without a valid amount" };
      await holdDisputeUntilPaid(tx, event.provider, {
        disputeId,
        paymentRef: payment.paymentRef,
        amountMinor: amount,
        currency: (str(event.object.currency) ?? "").toUpperCase(),
      });
      return { outcome: "ignored", note: "payment not recorded yet: dispute held until it is" };
    }
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
