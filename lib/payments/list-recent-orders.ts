import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { createdOnDays, olderThan, pageOf } from "@/lib/db/newest-first-page";
import { type PaymentChannel, paymentChannels } from "@/lib/payment-provider/payment-channels";

/** What finance filters the order list by; the page applies the well-formed fields and names the others. */
export const orderFilterSchema = z.object({
  status: z.enum(["open", "paid", "expired"]).optional(),
  channel: z.enum(paymentChannels).optional(), // the card processor, the simulated one, or an app store
  product: z.enum(["LICENSE_SALE", "TICKET_SALE"]).optional(),
  theaterOrgId: z.string().max(100).optional(),
  from: z.iso.date().optional(), // first day (UTC), inclusive
  to: z.iso.date().optional(), // last day (UTC), inclusive
  q: z.string().trim().max(100).optional(), // an order id, or words of its description
  before: z.string().max(100).optional(), // the id of the last order on the previous page
});
export type OrderFilter = z.infer<typeof orderFilterSchema>;

/**
 * A page of orders, newest first, filtered; the next page starts after the
 * last order shown (keyset paging on createdAt, then id). With the theaters'
 * names, for the list. Permission is the caller's to check (finance).
 */
export async function listRecentOrders(filter: OrderFilter = {}, limit = 50) {
  const f = orderFilterSchema.parse(filter);
  const cursor = f.before
    ? await db().paymentOrder.findUnique({ where: { id: f.before }, select: { id: true, createdAt: true } })
    : null;
  const where: Prisma.PaymentOrderWhereInput = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.channel ? { provider: f.channel } : {}),
    ...(f.product ? { productKind: f.product } : {}),
    ...(f.theaterOrgId ? { theaterOrgId: f.theaterOrgId } : {}),
    ...(f.q ? { OR: [{ id: f.q }, { description: { contains: f.q, mode: "insensitive" as const } }] } : {}),
    ...createdOnDays(f.from, f.to),
    ...olderThan(cursor),
  };
  const rows = await db().paymentOrder.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
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
  const { rows: orders, nextBefore } = pageOf(rows, limit);
  const theaters = await db().organization.findMany({
    where: { id: { in: [...new Set(orders.map((o) => o.theaterOrgId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(theaters.map((t) => [t.id, t.name]));
  return {
    orders: orders.map((o) => ({ ...o, theaterName: names.get(o.theaterOrgId) ?? null })),
    nextBefore,
  };
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
