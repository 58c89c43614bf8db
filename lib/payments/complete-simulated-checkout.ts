import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { processProviderEvent } from "@/lib/payments/process-provider-event";
import { minorUnitsAsNumber } from "@/lib/money/money";
import { recordSimulatedCharge } from "@/lib/payment-provider/record-simulated-charge";
import { recordSimulatedDispute } from "@/lib/payment-provider/record-simulated-dispute";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import { crashPointAfterCharge } from "@/lib/payments/crash-point";
import { limits } from "@/lib/config/limits";

/** The simulated provider's test cards, after Stripe's own. */
export const simulatedTestCards = {
  "4242424242424242": "succeeds",
  "4000000000000002": "is declined",
  "4000000000000259": "succeeds, then the customer disputes it",
} as const;

export type SimulatedPaymentResult = {
  result: "paid" | "declined" | "disputed";
  orderId: string;
  successPath: string;
  cancelPath: string;
};

/**
 * What the simulated checkout page does when a test card is submitted. A paid
 * card records a charge and delivers a checkout.session.completed event
 * through the same event pipeline and handlers as Stripe's webhooks; the
 * dispute card then delivers charge.dispute.created. A declined card leaves
 * the order open, as Stripe Checkout does, for another try; an expired
 * session takes no payment.
 *
 * No charge without its order: before charging, the order is marked for the
 * payments sweep (`reconcileAfter`), in a committed write. If the process
 * dies or loses its database between the charge and the order-paid
 * transaction, the sweep finds the charge at the provider and marks the order
 * paid (lib/payments/reconcile-order-payment.ts); if that write fails, nothing
 * is charged.
 */
export async function completeSimulatedCheckout({
  orderId,
  cardNumber,
}: {
  orderId: string;
  cardNumber: string;
}): Promise<SimulatedPaymentResult> {
  const card = cardNumber.replace(/[\s-]/g, "");
  const order = await db().paymentOrder.findUnique({ where: { id: orderId } });
  if (order?.provider !== "simulated")
    throw new AppError("NOT_FOUND", { userMessage: "No such simulated checkout.", reason: "ORDER_NOT_FOUND" });
  const paths = { orderId, successPath: order.successPath, cancelPath: order.cancelPath };
  if (order.status === "paid") return { result: "paid", ...paths };
  if (order.status !== "open")
    throw new AppError("CONFLICT", { userMessage: `This checkout is ${order.status}.`, reason: "ORDER_NOT_OPEN" });
  if (!(card in simulatedTestCards))
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "Use one of the listed test card numbers.",
      reason: "UNKNOWN_TEST_CARD",
    });

  if (card === "4000000000000002") {
    await db().$transaction(async (tx) => {
      await tx.paymentOrder.update({ where: { id: orderId }, data: { failureReason: "card_declined" } });
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "simulated" },
        action: "order.payment_declined",
        subject: { type: "order", id: orderId },
        state: { failureReason: "card_declined" },
      });
    });
    return { result: "declined", ...paths };
  }
  const sessionId = order.providerSessionId;
  if (!sessionId)
    throw new AppError("CONFLICT", { userMessage: "This checkout is not ready yet.", reason: "SESSION_NOT_READY" });
  const amountMinor = minorUnitsAsNumber(order.amountMinor);
  const marked = await db().paymentOrder.updateMany({
    where: { id: orderId, status: "open" },
    data: { reconcileAfter: new Date(Date.now() + limits.reconciliation.reconcileAfterChargeMs) },
  });
  if (marked.count === 0) return completeSimulatedCheckout({ orderId, cardNumber });
  let charge: Awaited<ReturnType<typeof recordSimulatedCharge>>;
  try {
    charge = await recordSimulatedCharge({ sessionId, orderId, amountMinor, currency: order.currency });
  } catch (e) {
    // An expired session, or one the simulated provider never kept (opened before sessions were kept).
    if (e instanceof ProviderRefusal && (e.code === "checkout_session_expired" || e.code === "resource_missing"))
      throw new AppError("CONFLICT", {
        userMessage: "This checkout expired; go back and start the payment again.",
        reason: "CHECKOUT_EXPIRED",
      });
    throw e;
  }
  crashPointAfterCharge();
  await processProviderEvent({
    provider: "simulated",
    id: `sim_evt_completed_${orderId}`,
    type: "checkout.session.completed",
    object: {
      id: sessionId,
      client_reference_id: orderId,
      payment_status: "paid",
      payment_intent: charge.id,
    },
  });
  if (card !== "4000000000000259") return { result: "paid", ...paths };
  const dispute = await recordSimulatedDispute({ chargeId: charge.id, amountMinor, currency: order.currency });
  await processProviderEvent({
    provider: "simulated",
    id: `sim_evt_dispute_${dispute.id}`,
    type: "charge.dispute.created",
    object: { id: dispute.id, amount: amountMinor, charge: charge.id, payment_intent: charge.id },
  });
  return { result: "disputed", ...paths };
}
