import "server-only";
import { postFundingPayment } from "@/lib/payments/post-funding-payment";
import type { FundingInvoice } from "@/lib/payment-provider/provider";
import { fromProvider, fundingIdOf } from "@/lib/payments/webhook-handlers/funding-events";
import { str, type WebhookHandler } from "@/lib/payments/webhook-handlers/types";

type Context = FundingInvoice | { unconfirmed: string } | null;

/**
 * A funding subscription's invoice was paid (its first, or a renewal): the invoice is read from the provider
 * with its payment and fee, and posted once to the ledger, split to the hosts funded, with any refund of it
 * whose events came first (postFundingPayment). Invoices that are not a funding's are recorded and left alone.
 */
export const invoicePaid: WebhookHandler<Context> = {
  async prepare(event) {
    const invoiceId = str(event.object.id);
    if (!invoiceId || !fundingIdOf(event.object)) return null;
    return fromProvider(event, (p) => p.getFundingInvoice(invoiceId));
  },
  async handle(tx, event, invoice) {
    if (!invoice) return { outcome: "ignored", note: "not a funding invoice" };
    if ("unconfirmed" in invoice) return { outcome: "ignored", note: `invoice not confirmed: ${invoice.unconfirmed}` };
    if (!invoice.fundingId) return { outcome: "ignored", note: "not a funding invoice" };
    if (invoice.status !== "paid" || !invoice.payment || !invoice.paymentRef)
      return { outcome: "ignored", note: `invoice ${invoice.status}, no payment` };
    const { alreadyRecorded } = await postFundingPayment(tx, {
      payment: {
        fundingId: invoice.fundingId,
        provider: event.provider,
        providerRef: invoice.id,
        paymentRef: invoice.paymentRef,
        amountMinor: invoice.amountPaidMinor,
        feeMinor: invoice.payment.feeMinor,
        currency: invoice.currency,
        paidAt: invoice.payment.paidAt,
        periodEnd: invoice.periodEnd,
        subscriptionId: invoice.subscriptionId,
      },
      actor: { type: "system", id: event.provider },
    });
    return alreadyRecorded ? { outcome: "ignored", note: "invoice already recorded" } : { outcome: "handled" };
  },
};
