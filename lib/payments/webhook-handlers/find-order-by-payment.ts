import type { Tx } from "@/lib/db/client";
import { RetryLaterError } from "@/lib/payments/webhook-handlers/types";

/**
 * The paid order behind a payment reference. Null when it is not ours; a
 * RetryLaterError when the order exists but its payment has not been recorded
 * yet (the completion event is late), since a retry will then find it.
 */
export async function findPaidOrderByPayment(tx: Tx, provider: string, paymentRefs: (string | null)[]) {
  const refs = paymentRefs.filter((r): r is string => Boolean(r));
  if (refs.length === 0) return null;
  const order = await tx.paymentOrder.findFirst({ where: { provider, providerPaymentRef: { in: refs } }, select: { id: true, status: true } });
  if (order) return order;
  const pendingByMetadata = await tx.paymentOrder.count({ where: { provider, status: "open", providerPaymentRef: null, createdAt: { gt: new Date(Date.now() - 7 * 86_400_000) } } });
  if (pendingByMetadata > 0) throw new RetryLaterError(`no paid order for ${refs.join(", ")} yet`);
  return null;
}
