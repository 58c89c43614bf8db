import "server-only";
import { db } from "@/lib/db/client";

/**
 * What the page a buyer returns to after paying shows: what was bought, from
 * which theater, for how much, its state, and the way back to the application
 * that sold it (its name and the site of its first redirect URI). The order id
 * is unguessable (at least 80 random bits) and the page shows nothing about the
 * buyer, as the checkout page itself does. Null for an unknown id.
 */
export async function getPaidOrderView(orderId: string) {
  if (!/^ord_[A-Za-z0-9_-]{10,64}$/.test(orderId)) return null;
  const order = await db().paymentOrder.findUnique({
    where: { id: orderId },
    select: {
      id: true,
      description: true,
      amountMinor: true,
      currency: true,
      status: true,
      paidAt: true,
      theaterOrgId: true,
      createdByType: true,
      createdById: true,
    },
  });
  if (!order) return null;
  const [theater, client] = await Promise.all([
    db().organization.findUnique({ where: { id: order.theaterOrgId }, select: { name: true } }),
    order.createdByType === "client" && order.createdById
      ? db().oidcClient.findUnique({ where: { id: order.createdById }, select: { name: true, redirectUris: true } })
      : null,
  ]);
  const appOrigin = client?.redirectUris[0] ? new URL(client.redirectUris[0]).origin : null;
  return {
    id: order.id,
    description: order.description,
    amountMinor: order.amountMinor,
    currency: order.currency,
    status: order.status,
    paidAt: order.paidAt,
    theaterName: theater?.name ?? null,
    app: client && appOrigin ? { name: client.name, url: appOrigin } : null,
  };
}
