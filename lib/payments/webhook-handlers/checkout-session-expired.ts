import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

/**
 * A checkout expired unpaid: the order can no longer be paid. Only the order's own session, at its own
 * provider, can expire it: an order id is no secret, and another provider's event must not end it.
 */
export const checkoutSessionExpired: WebhookHandler = {
  async handle(tx, event) {
    const orderId = str(event.object.client_reference_id);
    if (!orderId) return { outcome: "ignored", note: "not a Guildhall checkout" };
    const updated = await tx.paymentOrder.updateMany({
      where: { id: orderId, status: "open", provider: event.provider, providerSessionId: str(event.object.id) },
      data: { status: "expired", reconcileAfter: null },
    });
    if (updated.count === 0) return { outcome: "ignored", note: "no open order of this session" };
    await appendAuditEvent(tx, {
      actor: { type: "system", id: "payments" },
      action: "order.expired",
      subject: { type: "order", id: orderId },
      state: { status: "expired" },
    });
    return { outcome: "handled" };
  },
};
