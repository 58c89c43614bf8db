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
} as const;

export type CheckoutApiFailureReason = keyof typeof checkoutApiFailureReasons;
