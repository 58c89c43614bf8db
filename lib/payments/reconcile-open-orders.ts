import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { reconcileOrderPayment, type OrderReconciliation } from "@/lib/payments/reconcile-order-payment";
import { limits } from "@/lib/config/limits";

export type OpenOrdersReconciled = Record<OrderReconciliation | "failed", number>;

/**
 * The payments sweep (a background task on one instance at a time, and `payments reconcile-orders`): every
 * open order due for a look (`reconcileAfter` passed) is brought to its session's state at the provider.
 * A provider that cannot be asked now leaves the order for a later round; nothing is decided without its
 * answer.
 */
export async function reconcileOpenOrders(opts: { dueBy?: Date; limit?: number } = {}): Promise<OpenOrdersReconciled> {
  const now = new Date();
  const due = await db().paymentOrder.findMany({
    where: { reconcileAfter: { lte: opts.dueBy ?? now } },
    orderBy: { reconcileAfter: "asc" },
    take: opts.limit ?? 100,
    select: { id: true },
  });
  const counts: OpenOrdersReconciled = { paid: 0, expired: 0, open: 0, settled: 0, not_ours: 0, failed: 0 };
  for (const { id } of due) {
    try {
      counts[await reconcileOrderPayment(id)] += 1;
    } catch (e) {
      counts.failed += 1;
      log.warn({ orderId: id, err: e instanceof Error ? e.message : String(e) }, "order reconciliation failed");
      await db().paymentOrder.updateMany({
        where: { id, status: "open" },
        data: { reconcileAfter: new Date(now.getTime() + limits.reconciliation.retryOrderAfterFailureMs) },
      });
    }
  }
  return counts;
}
