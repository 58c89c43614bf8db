import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { issueReceipt } from "@/lib/payments/receipts/issue-receipt";

export type CheckoutStatus = {
  id: string;
  status: string;
  productKind: string;
  theaterOrgId: string;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  url: string | null;
  fulfilment: unknown;
  createdAt: string;
  paidAt: string | null;
  /** The signed receipt (compact JWS, docs/RECEIPTS.md) once the order is paid, for the host to hand to the buyer. */
  receipt: string | null;
};

/**
 * A checkout's status for the caller that opened it. Another caller gets
 * NOT_FOUND, not FORBIDDEN, so ids cannot be probed.
 */
export async function getCheckoutStatus(
  id: string,
  caller: { type: "client" | "user"; id: string },
): Promise<CheckoutStatus> {
  const order = await db().paymentOrder.findUnique({ where: { id } });
  if (!order || order.createdByType !== caller.type || order.createdById !== caller.id) {
    throw new AppError("NOT_FOUND", { userMessage: "No such checkout.", reason: "CHECKOUT_NOT_FOUND" });
  }
  return {
    id: order.id,
    status: order.status,
    productKind: order.productKind,
    theaterOrgId: order.theaterOrgId,
    amountMinor: minorUnitsAsNumber(order.amountMinor),
    currency: order.currency,
    refundedMinor: minorUnitsAsNumber(order.refundedMinor),
    // A session past its end is a dead page: no URL then (opening the checkout again makes a new session).
    url:
      order.status === "open" && (!order.checkoutExpiresAt || order.checkoutExpiresAt > new Date())
        ? order.checkoutUrl
        : null,
    fulfilment: order.fulfilment,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    receipt: order.status === "paid" ? ((await issueReceipt(order.id))?.jws ?? null) : null,
  };
}
