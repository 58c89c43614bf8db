import "server-only";
import type { Tx } from "@/lib/db/client";
import type { ProviderEvent } from "@/lib/payment-provider/provider";
import type { HandlerResult, WebhookHandler } from "@/lib/payments/webhook-handlers/types";
import { checkoutSessionCompleted } from "@/lib/payments/webhook-handlers/checkout-session-completed";
import { checkoutSessionExpired } from "@/lib/payments/webhook-handlers/checkout-session-expired";
import { chargeRefunded } from "@/lib/payments/webhook-handlers/charge-refunded";
import { refundChanged } from "@/lib/payments/webhook-handlers/refund-changed";
import { chargeDisputeCreated } from "@/lib/payments/webhook-handlers/charge-dispute-created";
import { chargeDisputeClosed } from "@/lib/payments/webhook-handlers/charge-dispute-closed";
import { chargeDisputeFundsReinstated } from "@/lib/payments/webhook-handlers/charge-dispute-funds-reinstated";
import { checkoutSessionAsyncPaymentFailed } from "@/lib/payments/webhook-handlers/checkout-session-async-payment-failed";
import { connectedPayoutFailed } from "@/lib/payments/webhook-handlers/connected-payout-failed";
import { accountUpdated } from "@/lib/payments/webhook-handlers/account-updated";
import { transferReversed } from "@/lib/payments/webhook-handlers/transfer-reversed";
import { invoicePaid } from "@/lib/payments/webhook-handlers/invoice-paid";
import { fundingSubscriptionChanged } from "@/lib/payments/webhook-handlers/funding-subscription-changed";

/** A handler with its context type erased, so handlers of different contexts share one table. */
export type RegisteredHandler = {
  prepare: (event: ProviderEvent) => Promise<unknown>;
  handle: (tx: Tx, event: ProviderEvent, context: unknown) => Promise<HandlerResult>;
};

function erase<C>(h: WebhookHandler<C>): RegisteredHandler {
  return {
    prepare: async (e) => (h.prepare ? h.prepare(e) : undefined),
    handle: (tx, e, c) => h.handle(tx, e, c as C),
  };
}

/** Provider event types Guildhall acts on; any other type is recorded and answered 2xx. */
export const webhookHandlers: Record<string, RegisteredHandler> = {
  "checkout.session.completed": erase(checkoutSessionCompleted),
  "checkout.session.async_payment_succeeded": erase(checkoutSessionCompleted),
  "checkout.session.expired": erase(checkoutSessionExpired),
  "checkout.session.async_payment_failed": erase(checkoutSessionAsyncPaymentFailed),
  "charge.refunded": erase(chargeRefunded),
  "refund.created": erase(refundChanged),
  "refund.updated": erase(refundChanged),
  "refund.failed": erase(refundChanged),
  "charge.refund.updated": erase(refundChanged),
  "charge.dispute.created": erase(chargeDisputeCreated),
  "charge.dispute.funds_withdrawn": erase(chargeDisputeCreated),
  "charge.dispute.funds_reinstated": erase(chargeDisputeFundsReinstated),
  "charge.dispute.closed": erase(chargeDisputeClosed),
  "account.updated": erase(accountUpdated),
  "payout.failed": erase(connectedPayoutFailed),
  "transfer.reversed": erase(transferReversed),
  // Funding of release lines and hosts (lib/funding): monthly fundings are Stripe subscriptions.
  "invoice.paid": erase(invoicePaid),
  "invoice.payment_failed": erase(fundingSubscriptionChanged),
  "customer.subscription.updated": erase(fundingSubscriptionChanged),
  "customer.subscription.deleted": erase(fundingSubscriptionChanged),
};
