import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * A delayed payment method (a bank debit) failed after the customer finished the checkout. The session is
 * complete and will never take payment, so the order stays open with the failure's reason and its session is
 * marked ended: the next "Pay now" opens a new session instead of handing back the dead one, and the sweep
 * stops looking at it. Only the order's own session at its own provider can do this.
 */
export const checkoutSessionAsyncPaymentFailed: WebhookHandler = {
  async handle(tx, event) {
    const orderId = str(event.object.client_reference_id);
    if (!orderId) return { outcome: "ignored", note: "not a Guildhall checkout" };
    const updated = await tx.paymentOrder.updateMany({
      where: { id: orderId, status: "open", provider: event.provider, providerSessionId: str(event.object.id) },
      data: { failureReason: "async_payment_failed", checkoutExpiresAt: new Date(), reconcileAfter: null },
    });
    if (updated.count === 0) return { outcome: "ignored", note: "no open order of this session" };
    await appendAuditEvent(tx, {
      actor: { type: "system", id: event.provider },
      action: "order.payment_failed",
      subject: { type: "order", id: orderId },
      state: { status: "open", failureReason: "async_payment_failed" },
    });
    return { outcome: "handled" };
  },
};
