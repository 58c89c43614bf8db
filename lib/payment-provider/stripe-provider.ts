import "server-only";
import type {
  PaymentProvider,
  ProviderBalanceTransaction,
  ProviderCheckoutSession,
  ProviderRefund,
  ProviderRefundStatus,
} from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";
import type Stripe from "stripe";
import { idOf, refusalsMapped, type StripeProviderOptions, stripeClient } from "@/lib/payment-provider/stripe-client";
import { stripeFunding } from "@/lib/payment-provider/stripe-funding";
import { stripePaymentDetails } from "@/lib/payment-provider/stripe-payment-details";

function providerRefundOf(r: Stripe.Refund): ProviderRefund {
  return {
    id: r.id,
    paymentRef: idOf(r.payment_intent),
    amountMinor: r.amount,
    currency: r.currency.toUpperCase(),
    status: (r.status ?? "pending") as ProviderRefundStatus,
    refundRequestId: r.metadata?.guildhallRefundRequestId ?? null,
  };
}

/**
 * A session is paid once Stripe says so (`payment_status` paid); complete but unpaid is an asynchronous
 * method still settling, so it stays open to us until its async_payment event or the next look.
 */
function checkoutSessionOf(s: Stripe.Checkout.Session): ProviderCheckoutSession {
  const expiresAt = new Date(s.expires_at * 1000);
  if (s.payment_status === "paid" || s.payment_status === "no_payment_required")
    return { state: "paid", paymentRef: idOf(s.payment_intent), expiresAt };
  if (s.status === "expired") return { state: "expired", paymentRef: null, expiresAt };
  return { state: "open", paymentRef: idOf(s.payment_intent), expiresAt };
}

/** The Stripe adapter: Checkout Sessions, Connect Express accounts, transfers, refunds, balance transactions. */
export function createStripeProvider(opts: StripeProviderOptions): PaymentProvider {
  const stripe = stripeClient(opts);
  return {
    name: "stripe",

    async createCheckoutSession(input) {
      const session = await refusalsMapped(() =>
        stripe.checkout.sessions.create(
          {
            mode: "payment",
            client_reference_id: input.orderId,
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            line_items: input.lineItems.map((li) => ({
              quantity: li.quantity,
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: li.unitAmountMinor,
                product_data: { name: li.name },
              },
            })),
            metadata: { orderId: input.orderId },
            payment_intent_data: { metadata: { orderId: input.orderId }, description: input.description },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
    },

    async getCheckoutSession(sessionId) {
      return checkoutSessionOf(await refusalsMapped(() => stripe.checkout.sessions.retrieve(sessionId)));
    },

    async expireCheckoutSession(sessionId) {
      try {
        return checkoutSessionOf(await refusalsMapped(() => stripe.checkout.sessions.expire(sessionId)));
      } catch (e) {
        // Only an open session can be expired: a paid or already expired one is refused, and is read instead.
        if (!(e instanceof ProviderRefusal) || e.code === "resource_missing") throw e;
        return checkoutSessionOf(await refusalsMapped(() => stripe.checkout.sessions.retrieve(sessionId)));
      }
    },

    getPaymentDetails: (paymentRef) => stripePaymentDetails(stripe, paymentRef),

    ...stripeFunding(stripe),

    async createConnectedAccount(input) {
      const account = await refusalsMapped(() =>
        stripe.accounts.create(
          {
            type: "express",
            country: input.country,
            email: input.email,
            capabilities: { transfers: { requested: true } },
            metadata: { payeeId: input.payeeId },
          },
          { idempotencyKey: `account:${input.payeeId}` },
        ),
      );
      return { accountId: account.id };
    },

    async createOnboardingLink(input) {
      const link = await refusalsMapped(() =>
        stripe.accountLinks.create({
          account: input.accountId,
          refresh_url: input.refreshUrl,
          return_url: input.returnUrl,
          type: "account_onboarding",
        }),
      );
      return { url: link.url };
    },

    async getConnectedAccountStatus(accountId) {
      const account = await refusalsMapped(() => stripe.accounts.retrieve(accountId));
      return { payoutsEnabled: Boolean(account.payouts_enabled) };
    },

    async createTransfer(input) {
      const transfer = await refusalsMapped(() =>
        stripe.transfers.create(
          {
            amount: input.amountMinor,
            currency: input.currency.toLowerCase(),
            destination: input.destination,
            transfer_group: input.transferGroup,
            description: input.description,
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return { transferId: transfer.id };
    },

    async createRefund(input) {
      const refund = await refusalsMapped(() =>
        stripe.refunds.create(
          {
            payment_intent: input.paymentRef,
            amount: input.amountMinor,
            metadata: { guildhallRefundRequestId: input.refundRequestId },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return { refundId: refund.id, status: refund.status as ProviderRefundStatus };
    },

    async getRefund(refundId) {
      return providerRefundOf(await refusalsMapped(() => stripe.refunds.retrieve(refundId)));
    },

    async listRefunds(paymentRef) {
      const out: ProviderRefund[] = [];
      for await (const r of stripe.refunds.list({ payment_intent: paymentRef, limit: 100 }))
        out.push(providerRefundOf(r));
      return out;
    },

    async listBalanceTransactions({ createdFrom, createdTo }) {
      const out: ProviderBalanceTransaction[] = [];
      const created = { gte: Math.floor(createdFrom.getTime() / 1000), lt: Math.ceil(createdTo.getTime() / 1000) };
      // The source is expanded so a charge names its payment intent, the reference our orders keep.
      for await (const t of stripe.balanceTransactions.list({ created, limit: 100, expand: ["data.source"] })) {
        const source = t.source as
          | string
          | { id: string; object?: string; payment_intent?: string | { id: string } | null }
          | null;
        const paymentRef =
          source && typeof source === "object" && source.object === "charge"
            ? idOf(source.payment_intent ?? null)
            : null;
        out.push({
          id: t.id,
          type: t.type,
          amountMinor: t.amount,
          feeMinor: t.fee,
          currency: t.currency.toUpperCase(),
          sourceId: idOf(source),
          paymentRef,
          createdAt: new Date(t.created * 1000),
        });
      }
      return out;
    },
  };
}
