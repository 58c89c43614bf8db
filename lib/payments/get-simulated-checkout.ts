import "server-only";
import { db } from "@/lib/db/client";

/** What the simulated checkout page shows: the order as the customer sees it (no internal fields). */
export async function getSimulatedCheckout(orderId: string) {
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (order?.provider !== "simulated") return null;
  const theater = await db().organization.findUnique({ where: { id: order.theaterOrgId }, select: { name: true } });
  return {
    id: order.id,
    productKind: order.productKind,
    description: order.description,
    lineItems: order.lineItems as { name: string; quantity: number; unitAmountMinor: number }[],
    amountMinor: order.amountMinor,
    currency: order.currency,
    status: order.status,
    failureReason: order.failureReason,
    theaterName: theater?.name ?? "",
    cancelPath: order.cancelPath,
  };
}
