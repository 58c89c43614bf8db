import type { Tx } from "@/lib/db/client";
import type { FulfilmentKind } from "@/lib/payments/checkout-schema";
import { fulfilTicketSale } from "@/lib/payments/fulfil-ticket-sale";
import { fulfilLicenseOrder } from "@/lib/licensing/activate-license-for-paid-order";

export type PaidOrder = { id: string; fulfilment: unknown; paidAt: Date };
export type OrderFulfiller = (tx: Tx, order: PaidOrder) => Promise<void>;

/**
 * What a paid order turns into, by fulfilment kind, run in the transaction
 * that marks the order paid and posts its ledger entry. A kind without an
 * entry makes that transaction fail loudly (see markOrderPaid): an order must
 * never be taken as paid with nothing delivered. The licensing domain adds
 * "license" here.
 */
export const orderFulfillers: Partial<Record<FulfilmentKind, OrderFulfiller>> = {
  ticket: fulfilTicketSale,
  license: fulfilLicenseOrder,
};
