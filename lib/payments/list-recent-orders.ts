import { db } from "@/lib/db/client";

export async function listRecentOrders(limit = 50) {
  return db().paymentOrder.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
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
