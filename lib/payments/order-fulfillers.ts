import "server-only";
import type { Tx } from "@/lib/db/client";
import type { FulfilmentKind } from "@/lib/payments/checkout-schema";
import { processSlot, requireSlot } from "@/lib/process-state";

export type PaidOrder = { id: string; fulfilment: unknown; paidAt: Date };
export type OrderFulfiller = (tx: Tx, order: PaidOrder) => Promise<void>;
export type OrderFulfillers = Partial<Record<FulfilmentKind, OrderFulfiller>>;

const slot = processSlot<OrderFulfillers>("orderFulfillers");

/**
 * What a paid order turns into, by fulfilment kind, run in the transaction
 * that marks the order paid and posts its ledger entry. The domains that sell
 * something (payments its tickets, licensing its licenses) each provide
 * theirs; the composition root (lib/composition) lists them and installs
 * them when the process starts. A kind without an entry makes that
 * transaction fail loudly (see markOrderPaid): an order must never be taken
 * as paid with nothing delivered.
 */
export function installOrderFulfillers(fulfillers: OrderFulfillers): void {
  slot.set(fulfillers);
}

export function orderFulfillerFor(kind: string): OrderFulfiller | undefined {
  const fulfillers = requireSlot(
    slot,
    "no order fulfillers are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
  return fulfillers[kind as FulfilmentKind];
}
