import "server-only";
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { fulfilmentSchema } from "@/lib/payments/checkout-schema";
import type { PaidOrder } from "@/lib/payments/order-fulfillers";

/**
 * Records the tickets of a paid ticket checkout for the show the host named;
 * the host learns it through GET /api/v1/checkouts/{id}. Idempotent per order.
 */
export async function fulfilTicketSale(tx: Tx, paid: PaidOrder): Promise<void> {
  const fulfilment = fulfilmentSchema.parse(paid.fulfilment);
  if (fulfilment.kind !== "ticket") throw new Error(`order ${paid.id} is not a ticket sale`);
  const order = await tx.paymentOrder.findUniqueOrThrow({ where: { id: paid.id } });
  const quantity = (order.lineItems as { quantity: number }[]).reduce((n, li) => n + li.quantity, 0);
  const existing = await tx.ticketSale.findUnique({ where: { orderId: order.id } });
  if (existing) return;
  await tx.ticketSale.create({
    data: {
      orderId: order.id,
      showId: fulfilment.showId,
      externalRef: fulfilment.externalRef ?? null,
      theaterOrgId: order.theaterOrgId,
      quantity,
      amountMinor: order.amountMinor,
      currency: order.currency,
      clientId: order.createdByType === "client" ? order.createdById : null,
      fulfilledAt: paid.paidAt,
    },
  });
  await appendAuditEvent(tx, {
    actor: { type: "system", id: "payments" },
    action: "ticket_sale.fulfilled",
    subject: { type: "order", id: order.id },
    state: { showId: fulfilment.showId, quantity },
    data: { showId: fulfilment.showId, quantity },
  });
}
