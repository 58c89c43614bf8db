import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { AuditActor } from "@/lib/audit/append-audit-event";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { recordPaymentAdjustment } from "@/lib/payments/record-payment-adjustment";
import { refundableMinor } from "@/lib/money/refundable-amount";
import { minorUnitsAsNumber } from "@/lib/money/money";

/**
 * Refunds part or all of a paid order (finance). The provider is asked first,
 * with a key derived from the order's refund state so a double submit refunds
 * once; the refund and its proportional reversal are then recorded in one
 * transaction. The provider's later charge.refunded webhook finds it recorded.
 */
export async function refundOrder(orderId: string, amountMinor: number, actor: AuditActor) {
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (!order) throw new AppError("NOT_FOUND", { userMessage: "No such order.", reason: "ORDER_NOT_FOUND" });
  if (order.status !== "paid" || !order.providerPaymentRef)
    throw new AppError("CONFLICT", { userMessage: "Only a paid order can be refunded.", reason: "ORDER_NOT_PAID" });
  const remaining = refundableMinor(order);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || BigInt(amountMinor) > remaining) {
    throw new AppError("UNPROCESSABLE", {
      userMessage: `At most ${remaining} can still be refunded on this order.`,
      reason: "AMOUNT_EXCEEDS_REMAINING",
    });
  }
  let refundId: string;
  try {
    ({ refundId } = await providerFor(order.provider).createRefund({
      paymentRef: order.providerPaymentRef,
      amountMinor,
      idempotencyKey: `refund:${orderId}:${order.refundedMinor}:${amountMinor}`,
    }));
  } catch (e) {
    if (e instanceof ProviderRefusal)
      throw new AppError("UNPROCESSABLE", {
        message: e.message,
        userMessage: "The provider refused the refund.",
        reason: "PROVIDER_REFUSED",
      });
    throw e;
  }
  const result = await db().$transaction((tx) =>
    recordPaymentAdjustment(tx, { orderId, kind: "refund", amountMinor, providerRef: refundId, actor }),
  );
  return {
    ...result,
    adjustment: { ...result.adjustment, amountMinor: minorUnitsAsNumber(result.adjustment.amountMinor) },
  };
}
