import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { markOrderPaid } from "@/lib/payments/mark-order-paid";
import { limits } from "@/lib/config/limits";

export type OrderReconciliation = "paid" | "expired" | "open" | "settled" | "not_ours";

/**
 * Asks the provider how an open order's checkout session stands and brings the order to it: the catch-up
 * for an order-paid transaction that never committed (the process died, or lost its database connection,
 * after the charge) and for a provider event that never came. Paid: the order is marked paid exactly as the
 * checkout.session.completed handler would (markOrderPaid is idempotent, so the event arriving later finds
 * it paid). Expired: the order ends. Still open: looked at again in an hour, or just after the session's end.
 * The payment must name this order (the provider's metadata), so a session cannot pay another order.
 */
export async function reconcileOrderPayment(orderId: string, now = new Date()): Promise<OrderReconciliation> {
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (order?.status !== "open" || !order.providerSessionId) {
    if (order?.reconcileAfter) await clearReconcile(orderId);
    return "settled";
  }
  const provider = providerFor(order.provider);
  const session = await provider.getCheckoutSession(order.providerSessionId);
  if (session.state === "paid" && session.paymentRef) {
    const details = await provider.getPaymentDetails(session.paymentRef);
    if (details.orderId !== order.id) {
      log.warn({ orderId, paymentRef: session.paymentRef }, "the session's payment names another order");
      await clearReconcile(orderId);
      return "not_ours";
    }
    const paymentRef = session.paymentRef;
    await db().$transaction(async (tx) => {
      await markOrderPaid(tx, {
        orderId,
        paymentRef,
        feeMinor: details.feeMinor,
        paidAt: details.paidAt,
        settlement: details.settlement,
      });
      await tx.paymentOrder.update({ where: { id: orderId }, data: { reconcileAfter: null } });
    });
    return "paid";
  }
  if (session.state === "expired") {
    await db().$transaction(async (tx) => {
      const ended = await tx.paymentOrder.updateMany({
        where: { id: orderId, status: "open", providerSessionId: order.providerSessionId },
        data: { status: "expired", reconcileAfter: null },
      });
      if (ended.count === 0) return;
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "payments" },
        action: "order.expired",
        subject: { type: "order", id: orderId },
        state: { status: "expired" },
      });
    });
    return "expired";
  }
  const afterEnd = session.expiresAt.getTime() + 60_000;
  await db().paymentOrder.updateMany({
    where: { id: orderId, status: "open" },
    data: {
      reconcileAfter: new Date(
        Math.min(now.getTime() + limits.reconciliation.recheckOpenOrderMs, Math.max(afterEnd, now.getTime())),
      ),
    },
  });
  return "open";
}

async function clearReconcile(orderId: string) {
  await db().paymentOrder.update({ where: { id: orderId }, data: { reconcileAfter: null } });
}
