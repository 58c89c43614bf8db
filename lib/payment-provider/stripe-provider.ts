import "server-only";
import Stripe from "stripe";
import type {
  PaymentProvider,
  ProviderBalanceTransaction,
  ProviderCheckoutSession,
  ProviderRefund,
  ProviderRefundStatus,
  FundingInvoice,
  FundingSubscription,
  PaymentDetails,
} from "@/lib/payment-provider/provider";
import { ProviderRefusal } from "@/lib/payment-provider/provider";

export type StripeProviderOptions = {
  secretKey: string;
  /** Another API base (a local HTTP double in tests); the path prefix /v1/ is the SDK's. */
  apiBase?: string;
};

export function stripeClient(opts: StripeProviderOptions): Stripe {
  const base = opts.apiBase ? new URL(opts.apiBase) : undefined;
  return new Stripe(opts.secretKey, {
    maxNetworkRetries: base ? 0 : 2,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/**
 * Turns the SDK's card and invalid-request errors into refusals (retrying will
 * not help) and lets connection and server errors through, so the outbox retries them.
 */
async function refusalsMapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (
      e instanceof Stripe.errors.StripeCardError ||
      e instanceof Stripe.errors.StripeInvalidRequestError ||
      e instanceof Stripe.errors.StripePermissionError
    ) {
      throw new ProviderRefusal(e.message, e.code ?? e.type);
    }
    throw e;
  }
}

function idOf(v: string | { id: string } | null | undefined): string | null {
  return v == null ? null : typeof v === "string" ? v : v.id;
}

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

/**
 * Stripe reports the fee in the balance's currency. A charge in another currency (settled in EUR, sold in
 * USD) has its fee brought into the charge's currency at the charge's own rate (its amount over the
 * settled amount), rounded to the nearest minor unit, so the ledger posts it beside the sale.
 */
function feeInChargeCurrency(txn: Stripe.BalanceTransaction, charge: Stripe.Charge): number {
  if (txn.currency === charge.currency || txn.amount === 0) return txn.fee;
  return Math.round((txn.fee * charge.amount) / txn.amount);
}

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

/** The Stripe adapter: Checkout Sessions, Connect Express accounts, transfers, refunds, balance transactions. */
export function createStripeProvider(opts: StripeProviderOptions): PaymentProvider {
  const stripe = stripeClient(opts);
  async function getPaymentDetails(paymentRef: string): Promise<PaymentDetails> {
    const intent = await refusalsMapped(() =>
      stripe.paymentIntents.retrieve(paymentRef, { expand: ["latest_charge.balance_transaction"] }),
    );
    const charge = intent.latest_charge;
    if (!charge || typeof charge === "string") throw new Error(`payment intent ${paymentRef} has no expanded charge`);
    const txn =
      charge.balance_transaction && typeof charge.balance_transaction !== "string" ? charge.balance_transaction : null;
    return {
      chargeId: charge.id,
      feeMinor: txn ? feeInChargeCurrency(txn, charge) : 0,
      paidAt: new Date(charge.created * 1000),
      orderId: intent.metadata?.orderId ?? null,
      settlement: txn ? { currency: txn.currency.toUpperCase(), amountMinor: txn.amount, feeMinor: txn.fee } : null,
    };
  }

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

    getPaymentDetails,

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
        payment: paymentRef ? await getPaymentDetails(paymentRef) : null,
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
