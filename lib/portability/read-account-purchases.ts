import "server-only";
import type { Tx } from "@/lib/db/client";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { iso, isoOrNull } from "@/lib/portability/export-values";

/** The person's orders (bought or created by them) and app-store transactions; receipts are added by the caller. */
export async function readPurchases(tx: Tx, userId: string) {
  // One after another: the queries of an interactive transaction share one connection.
  const orders = await tx.paymentOrder.findMany({
    where: { OR: [{ buyerUserId: userId }, { createdByType: "user", createdById: userId }] },
    orderBy: { createdAt: "asc" },
  });
  const storeTransactions = await tx.storeTransaction.findMany({ where: { userId }, orderBy: { purchasedAt: "asc" } });
  return {
    receipts: [] as string[],
    orders: orders.map((o) => ({
      id: o.id,
      productKind: o.productKind,
      theaterOrgId: o.theaterOrgId,
      description: o.description,
      amountMinor: minorUnitsAsNumber(o.amountMinor),
      currency: o.currency,
      status: o.status,
      refundedMinor: minorUnitsAsNumber(o.refundedMinor),
      createdAt: iso(o.createdAt),
      paidAt: isoOrNull(o.paidAt),
    })),
    storeTransactions: storeTransactions.map((t) => ({
      store: t.store,
      transactionId: t.transactionId,
      productId: t.productId,
      orderId: t.orderId,
      status: t.status,
      purchasedAt: iso(t.purchasedAt),
      expiresAt: isoOrNull(t.expiresAt),
    })),
  };
}
