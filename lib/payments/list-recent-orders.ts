import { db } from "@/lib/db/client";
import type { PaymentChannel } from "@/lib/payments/payment-channels";

/** The latest orders, of one channel (a store, Stripe) when asked. */
export async function listRecentOrders(opts: { limit?: number; provider?: PaymentChannel } = {}) {
  return db().paymentOrder.findMany({
    where: opts.provider ? { provider: opts.provider } : {},
    orderBy: { createdAt: "desc" },
    take: opts.limit ?? 50,
    select: {
      id: true,
      productKind: true,
      theaterOrgId: true,
      description: true,
      amountMinor: true,
      currency: true,
      status: true,
      refundedMinor: true,
      disputedMinor: true,
      feeMinor: true,
      provider: true,
      createdAt: true,
      paidAt: true,
    },
  });
}

/**
 * A channel's paid orders in all, per currency: what buyers paid, the
 * processor's fee (a store's commission), and what was refunded.
 */
export async function channelTotals(provider: PaymentChannel) {
  const rows = await db().paymentOrder.groupBy({
    by: ["currency"],
    where: { provider, paidAt: { not: null } },
    _count: { _all: true },
    _sum: { amountMinor: true, feeMinor: true, refundedMinor: true },
    orderBy: { currency: "asc" },
  });
  return rows.map((r) => ({
    currency: r.currency,
    orders: r._count._all,
    paidMinor: r._sum.amountMinor ?? 0n,
    feeMinor: r._sum.feeMinor ?? 0n,
    refundedMinor: r._sum.refundedMinor ?? 0n,
  }));
}
