import "server-only";
import type { Tx } from "@/lib/db/client";
import { newSortableId } from "@/lib/ids";
import type { Fulfilment } from "@/lib/payments/checkout-schema";
import { markOrderPaid } from "@/lib/payments/mark-order-paid";
import type { ProductKind } from "@/lib/splits/split-policy-schema";

export type StorePurchase = {
  store: "apple" | "google";
  /** The store's own id of this purchase (Apple's transactionId, Google's orderId): one order per id. */
  transactionId: string;
  productKind: ProductKind;
  theaterOrgId: string;
  description: string;
  lineItem: { name: string; quantity: number; unitAmountMinor: number };
  amountMinor: number;
  currency: string;
  /** The store's commission, recorded as the processor fee. */
  commissionMinor: number;
  paidAt: Date;
  /** A license's may carry the end of the period the order pays for, when the store states it (Google Play). */
  fulfilment: Fulfilment | { kind: "license"; licenseId: string; paidUntil: string };
  buyerUserId: string | null;
};

/**
 * Records a purchase the store already took as a paid order, in the caller's
 * transaction: the order (keyed by the store and its transaction id, so two
 * deliveries of one purchase, at once on two instances or one after the other,
 * make one order) and then markOrderPaid, which posts the sale with the active
 * policy's split, the store's commission as the fee, and runs the fulfiller.
 */
export async function recordStorePurchase(tx: Tx, p: StorePurchase): Promise<{ orderId: string; created: boolean }> {
  const scope = `store:${p.store}`;
  const inserted = await tx.paymentOrder.createMany({
    data: [
      {
        id: newSortableId("ord"),
        productKind: p.productKind,
        theaterOrgId: p.theaterOrgId,
        description: p.description,
        lineItems: [p.lineItem],
        amountMinor: p.amountMinor,
        currency: p.currency,
        fulfilmentKind: p.fulfilment.kind,
        fulfilment: p.fulfilment,
        provider: p.store,
        providerPaymentRef: p.transactionId,
        successPath: "/",
        cancelPath: "/",
        idempotencyScope: scope,
        idempotencyKey: p.transactionId,
        createdByType: p.buyerUserId ? "user" : "system",
        createdById: p.buyerUserId ?? p.store,
        // The app user the purchase's account token names: the receipt is theirs (docs/RECEIPTS.md).
        buyerUserId: p.buyerUserId,
      },
    ],
    skipDuplicates: true,
  });
  const order = await tx.paymentOrder.findUniqueOrThrow({
    where: { idempotencyScope_idempotencyKey: { idempotencyScope: scope, idempotencyKey: p.transactionId } },
    select: { id: true },
  });
  await markOrderPaid(tx, {
    orderId: order.id,
    paymentRef: p.transactionId,
    feeMinor: p.commissionMinor,
    paidAt: p.paidAt,
  });
  return { orderId: order.id, created: inserted.count === 1 };
}
