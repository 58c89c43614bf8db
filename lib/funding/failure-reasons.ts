import "server-only";
/**
 * The closed list of reasons the funding domain gives in `error.reason` (AppError's `reason`, typed as the union
 * of every domain's list). The OpenAPI document publishes a route's lists, and tests/unit/http/api-contract.test.ts
 * fails when code under lib/funding/ gives one not listed here.
 */
export const fundingFailureReasons = {
  UNKNOWN_RELEASE_LINE: "No such release line.",
  UNKNOWN_HOST: "No such host.",
  UNKNOWN_FUNDING: "No such funding.",
  AMOUNT_INVALID: "The amount is not a positive number of minor units.",
  AMOUNT_OUT_OF_RANGE: "The amount must be more than zero and at most 999,999.99.",
  NO_HOST_TO_FUND: "No host runs this release line, so there is nobody to fund.",
  REQUEST_KEY_REUSED: "The same request key came with another funding.",
  ALREADY_PAID: "This funding has already been paid.",
  CHECKOUT_EXPIRED: "This funding's checkout has expired; start a new funding.",
  FUNDING_PAYMENT_MISMATCH: "The payment does not match the funding it names.",
  NOT_THE_FUNDER: "Only the person who funds it can cancel it or choose how it is shown.",
  CANCEL_THROUGH_STORE: "This funding is an app-store subscription: stop it in the store.",
  NOT_RECURRING: "Only a recurring funding can be canceled.",
  ALREADY_CANCELED: "This funding is canceled already.",
  NOT_STARTED: "The funding's first payment has not come through yet; there is nothing to cancel.",
  NOT_HOST_OPERATOR: "Only an operator of this host declares its costs.",
  NOT_RUNNING_LINE: "The host does not run this release line.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    funding: typeof fundingFailureReasons;
  }
}
