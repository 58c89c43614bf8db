import "server-only";
/**
 * The closed list of reasons the ticket-sale API (/api/v1/checkouts) answers
 * in `error.reason`, besides the RFC 6750 ones of the access token. Clients
 * may branch on them; the OpenAPI document publishes them (app/api/v1/openapi-document.ts).
 */
export const checkoutApiFailureReasons = {
  IDEMPOTENCY_KEY_REQUIRED: "The Idempotency-Key header is missing.",
  IDEMPOTENCY_KEY_REUSED: "The same Idempotency-Key came with another body.",
  AMOUNT_MISMATCH: "amountMinor is not the sum of the line items.",
  AMOUNT_ZERO: "The line items add up to zero.",
  AMOUNT_TOO_LARGE: "The order total is above the limit.",
  THEATER_NOT_FOUND: "No such theater.",
  THEATER_NOT_ACTIVE: "The theater is not active.",
  NO_ACTIVE_SPLIT_POLICY: "No split policy is active for the product kind and currency.",
  CHECKOUT_NOT_FOUND: "No checkout of this client has this id.",
  BUYER_TOKEN_INVALID: "buyerAccessToken is not a live access token of a user signed in at this client.",
  PROVIDER_UNAVAILABLE: "The payment provider did not answer; retry with the same key.",
  PROVIDER_REFUSED:
    "The payment provider refused the checkout (an amount below its minimum, for one): see the message.",
  invalid_token: "The access token is missing, invalid, expired or revoked.",
  insufficient_scope: "The access token lacks the scope tickets:write.",
  invalid_dpop_proof: "The DPoP proof is missing, invalid, or made for another request (RFC 9449).",
} as const;

export type CheckoutApiFailureReason = keyof typeof checkoutApiFailureReasons;

/**
 * Every reason the payments domain gives in `error.reason`: the ticket-sale
 * API's, and those of refunds, the simulated checkout, receipts and the
 * provider's webhooks. tests/unit/foundation/failure-reasons.test.ts fails
 * when code under lib/payments/ gives one not listed here.
 */
export const paymentsFailureReasons = {
  ...checkoutApiFailureReasons,
  ORDER_NOT_FOUND: "No such order (or simulated checkout).",
  FUNDING_PAYMENT_NOT_FOUND: "No such funding payment.",
  ORDER_NOT_OPEN: "This checkout is no longer open.",
  UNKNOWN_TEST_CARD: "Use one of the listed test card numbers.",
  FUNDING_NOT_FOUND: "No such simulated funding checkout.",
  SESSION_NOT_READY: "This checkout is not ready yet.",
  CHECKOUT_EXPIRED: "This checkout expired; start the payment again.",
  REFUND_NOT_FOUND: "No such refund.",
  SAME_APPROVER: "Another finance user must approve a refund you asked for.",
  REFUND_ALREADY_DECIDED: "This refund no longer awaits approval.",
  ORDER_NOT_PAID: "Only a paid order can be refunded or disputed.",
  AMOUNT_EXCEEDS_REMAINING: "The amount is more than can still be refunded on this order.",
  REFUND_IN_PROGRESS: "This refund is already on its way to the payment provider.",
  REFUND_KEY_REUSED: "This refund was already submitted with another amount or reason.",
  REFUND_THROUGH_STORE: "This order was paid in an app store: refund it through the store.",
  RECEIPT_NOT_FOUND: "No such receipt.",
  WEBHOOK_NOT_CONFIGURED: "Stripe webhooks are not configured on this portal.",
  SIGNATURE_MISSING: "The Stripe-Signature header is missing.",
  SIGNATURE_INVALID: "The webhook signature does not verify.",
  API_VERSION_UNSUPPORTED: "The event is of another Stripe API version than this endpoint reads.",
  NOT_A_CONNECT_EVENT: "The Connect endpoint takes only events of connected accounts.",
  RETRY_LATER: "The event could not be processed now; the provider retries it.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    payments: typeof checkoutApiFailureReasons;
    payments1: typeof paymentsFailureReasons;
  }
}
