import "server-only";
/**
 * The one payment-provider interface. Two implementations: Stripe (when
 * STRIPE_SECRET_KEY is set) and the simulated provider (the embedded default,
 * a real implementation of the same flows on the local database, with a
 * clearly marked test checkout page).
 */
export type CheckoutSessionInput = {
  orderId: string;
  description: string;
  currency: string;
  lineItems: { name: string; quantity: number; unitAmountMinor: number }[];
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
};

export type ProviderBalanceTransaction = {
  id: string;
  type: string; // charge | refund | transfer | adjustment | ...
  amountMinor: number; // signed, as the provider reports it
  feeMinor: number;
  currency: string;
  sourceId: string | null; // ch_/re_/tr_ id
  /** For a charge, the reference our orders keep (Stripe: the payment intent; simulated: the charge). */
  paymentRef: string | null;
  createdAt: Date;
};

/** A refund's state at the provider (Stripe's refund statuses). Pending and succeeded refunds are in the ledger. */
export type ProviderRefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled";

/** A refund as the provider holds it now. */
export type ProviderRefund = {
  id: string;
  /** The payment it refunds, as our orders name it (Stripe: the payment intent); null when it has none. */
  paymentRef: string | null;
  amountMinor: number;
  currency: string;
  status: ProviderRefundStatus;
  /** Guildhall's refund request, from the refund's metadata; null for a refund made elsewhere. */
  refundRequestId: string | null;
};

/**
 * A payment as the provider holds it. `feeMinor` is in the payment's own currency (the order's), as the
 * ledger posts it; `settlement` is the charge's balance transaction as the provider keeps it, in its
 * balance's currency, which may be another (a USD sale settled in EUR): fee and amount there, for
 * reconciliation to compare like with like.
 */
export type PaymentDetails = {
  chargeId: string;
  feeMinor: number;
  paidAt: Date;
  orderId: string | null;
  settlement: { currency: string; amountMinor: number; feeMinor: number } | null;
};

/**
 * Where a checkout session stands at the provider: still taking payment, paid (with the payment our orders
 * name), or expired (it will never take payment).
 */
export type ProviderCheckoutSession = {
  state: "open" | "paid" | "expired";
  paymentRef: string | null;
  expiresAt: Date;
};

/** A funder's checkout: one payment (`once`), or a monthly subscription that renews until canceled. */
export type FundingCheckoutInput = {
  fundingId: string;
  description: string;
  currency: string;
  amountMinor: number;
  interval: "once" | "month";
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
};

/**
 * An invoice of a funding subscription as the provider holds it now: the funding it names (from the
 * subscription's metadata), its state, the period it pays for, and, once paid, the payment behind it with the
 * provider's fee.
 */
export type FundingInvoice = {
  id: string;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  subscriptionId: string | null;
  fundingId: string | null;
  amountPaidMinor: number;
  currency: string;
  periodEnd: Date | null;
  paymentRef: string | null;
  payment: PaymentDetails | null;
};

/** A funding subscription as the provider holds it now. */
export type FundingSubscription = {
  id: string;
  fundingId: string | null;
  /** Stripe's subscription statuses: active, past_due, canceled, unpaid, incomplete, ... */
  status: string;
  /** Set when it ends at the paid period's end (the funder canceled). */
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
};

/** A provider event, already verified, in the shape the webhook handlers read. */
export type ProviderEvent = {
  provider: "stripe" | "simulated";
  id: string;
  type: string;
  object: Record<string, unknown>;
  /** The connected account an event is about, when it came through the Connect endpoint; null otherwise. */
  account?: string | null;
};

export interface PaymentProvider {
  readonly name: "stripe" | "simulated";
  /** Opens a hosted checkout; the same idempotency key answers the same session. */
  createCheckoutSession(input: CheckoutSessionInput): Promise<{ sessionId: string; url: string; expiresAt: Date }>;
  /** How a session stands now: asked when its event may have been lost, and before replacing it. */
  getCheckoutSession(sessionId: string): Promise<ProviderCheckoutSession>;
  /**
   * Ends an open session so it can never take payment, before a new one replaces it; answers how the session
   * stands afterwards (a session paid meanwhile stays paid).
   */
  expireCheckoutSession(sessionId: string): Promise<ProviderCheckoutSession>;
  /**
   * The charge behind a payment, the fee the provider kept, when the charge was made (a sale's time, whenever
   * its event arrives), and the Guildhall order it pays (null when not ours).
   */
  getPaymentDetails(paymentRef: string): Promise<PaymentDetails>;
  createConnectedAccount(input: { payeeId: string; email?: string; country?: string }): Promise<{ accountId: string }>;
  createOnboardingLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<{ url: string }>;
  getConnectedAccountStatus(accountId: string): Promise<{ payoutsEnabled: boolean }>;
  /** Moves money to a connected account; the same idempotency key never moves it twice. */
  createTransfer(input: {
    amountMinor: number;
    currency: string;
    destination: string;
    idempotencyKey: string;
    transferGroup: string;
    description: string;
  }): Promise<{ transferId: string }>;
  /**
   * Refunds part of a payment; the same idempotency key never refunds twice. `refundRequestId` names
   * Guildhall's request in the refund's metadata, so the provider's refund events can be matched to it.
   */
  createRefund(input: {
    paymentRef: string;
    amountMinor: number;
    idempotencyKey: string;
    refundRequestId: string;
  }): Promise<{ refundId: string; status: ProviderRefundStatus }>;
  getRefund(refundId: string): Promise<ProviderRefund>;
  /** Every refund of a payment, newest first. */
  listRefunds(paymentRef: string): Promise<ProviderRefund[]>;
  listBalanceTransactions(input: { createdFrom: Date; createdTo: Date }): Promise<ProviderBalanceTransaction[]>;
  /** Opens a hosted checkout for a funder; the same idempotency key answers the same session. */
  createFundingCheckout(input: FundingCheckoutInput): Promise<{ sessionId: string; url: string; expiresAt: Date }>;
  getFundingInvoice(invoiceId: string): Promise<FundingInvoice>;
  getFundingSubscription(subscriptionId: string): Promise<FundingSubscription>;
  /** Stops a funding subscription from renewing: it runs to the end of the period paid for. */
  cancelFundingAtPeriodEnd(subscriptionId: string, idempotencyKey: string): Promise<FundingSubscription>;
}

/** An expected refusal by the provider (declined, invalid account): retrying will not help. */
export class ProviderRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "ProviderRefusal";
  }
}
