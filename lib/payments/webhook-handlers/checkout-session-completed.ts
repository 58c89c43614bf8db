import { markOrderPaid } from "@/lib/payments/mark-order-paid";
import { providerFor } from "@/lib/payment-provider/provider-for";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = { chargeId: string; feeMinor: number; paidAt: Date } | null;

/** A checkout was paid: post the sale with its split and fulfil the order. */
export const checkoutSessionCompleted: WebhookHandler<Context> = {
  async prepare(event) {
    const paymentRef = str(event.object.payment_intent);
    if (event.object.payment_status !== "paid" || !paymentRef) return null;
    return providerFor(event.provider).getPaymentDetails(paymentRef);
  },
  async handle(tx, event, details) {
    const orderId =
      str(event.object.client_reference_id) ??
      str((event.object.metadata as Record<string, unknown> | undefined)?.orderId);
    if (!orderId) return { outcome: "ignored", note: "not a Guildhall checkout" };
    if (!details) return { outcome: "ignored", note: `payment_status ${String(event.object.payment_status)}` };
    const order = await tx.paymentOrder.findUnique({
      where: { id: orderId },
      select: { provider: true, providerSessionId: true },
    });
    if (!order) return { outcome: "ignored", note: `unknown order ${orderId}` };
    if (
      order.provider !== event.provider ||
      (order.providerSessionId && order.providerSessionId !== str(event.object.id))
    ) {
      return { outcome: "ignored", note: "session does not match the order" };
    }
    const { alreadyPaid } = await markOrderPaid(tx, {
      orderId,
      paymentRef: str(event.object.payment_intent)!,
      feeMinor: details.feeMinor,
      // The charge's own time, not the event's arrival: a late event must not move the sale into another
      // usage period (host weights) or another day of the books.
      paidAt: details.paidAt,
    });
    return { outcome: alreadyPaid ? "ignored" : "handled", note: alreadyPaid ? "order already paid" : undefined };
  },
};
