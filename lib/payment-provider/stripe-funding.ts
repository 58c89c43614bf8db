import "server-only";
import type Stripe from "stripe";
import type { FundingInvoice, FundingSubscription, PaymentProvider } from "@/lib/payment-provider/provider";
import { idOf, refusalsMapped } from "@/lib/payment-provider/stripe-client";
import { stripePaymentDetails } from "@/lib/payment-provider/stripe-payment-details";

/**
 * A subscription's current period is its item's since API version 2025-03-31 (no longer the subscription's);
 * a funding subscription has one item.
 */
function fundingSubscriptionOf(sub: Stripe.Subscription): FundingSubscription {
  const end = sub.items.data[0]?.current_period_end;
  return {
    id: sub.id,
    fundingId: sub.metadata?.fundingId ?? null,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    currentPeriodEnd: end ? new Date(end * 1000) : null,
  };
}

/** The Stripe adapter's funding operations: one-time and monthly Checkout, invoices, subscriptions. */
export function stripeFunding(
  stripe: Stripe,
): Pick<
  PaymentProvider,
  "createFundingCheckout" | "getFundingInvoice" | "getFundingSubscription" | "cancelFundingAtPeriodEnd"
> {
  return {
    async createFundingCheckout(input) {
      const monthly = input.interval === "month";
      const metadata = { fundingId: input.fundingId };
      const session = await refusalsMapped(() =>
        stripe.checkout.sessions.create(
          {
            mode: monthly ? "subscription" : "payment",
            client_reference_id: input.fundingId,
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency.toLowerCase(),
                  unit_amount: input.amountMinor,
                  product_data: { name: input.description },
                  ...(monthly ? { recurring: { interval: "month" as const } } : {}),
                },
              },
            ],
            metadata,
            // A subscription's invoices carry its metadata (invoice.parent.subscription_details), which is how
            // each paid invoice finds its funding; a one-time payment carries it on its payment intent.
            ...(monthly
              ? { subscription_data: { metadata, description: input.description } }
              : { payment_intent_data: { metadata, description: input.description } }),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
    },

    async getFundingInvoice(invoiceId) {
      // An invoice's payments are listed only when asked for (expand), since API version 2025-03-31, which
      // also moved its subscription under `parent`.
      const invoice = await refusalsMapped(() => stripe.invoices.retrieve(invoiceId, { expand: ["payments"] }));
      const details = invoice.parent?.subscription_details ?? null;
      const paid = invoice.payments?.data.find((p) => p.status === "paid" && p.payment.type === "payment_intent");
      const paymentRef = idOf(paid?.payment.payment_intent ?? null);
      const periodEnd = invoice.lines.data[0]?.period.end;
      const result: FundingInvoice = {
        id: invoice.id ?? invoiceId,
        status: (invoice.status ?? "draft") as FundingInvoice["status"],
        subscriptionId: idOf(details?.subscription ?? null),
        fundingId: details?.metadata?.fundingId ?? invoice.metadata?.fundingId ?? null,
        amountPaidMinor: invoice.amount_paid,
        currency: invoice.currency.toUpperCase(),
        periodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
        paymentRef,
        payment: paymentRef ? await stripePaymentDetails(stripe, paymentRef) : null,
      };
      return result;
    },

    async getFundingSubscription(subscriptionId) {
      return fundingSubscriptionOf(await refusalsMapped(() => stripe.subscriptions.retrieve(subscriptionId)));
    },

    async cancelFundingAtPeriodEnd(subscriptionId, idempotencyKey) {
      return fundingSubscriptionOf(
        await refusalsMapped(() =>
          stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }, { idempotencyKey }),
        ),
      );
    },
  };
}
