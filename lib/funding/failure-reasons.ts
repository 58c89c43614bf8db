/**
 * The closed list of reasons the funding domain gives in `error.reason` (AppError's `reason`).
 * tests/unit/http/api-contract.test.ts fails when code under lib/funding/ gives one not listed here.
 */
export const fundingFailureReasons = {
  AMOUNT_INVALID: "The amount is not money in that currency (too many decimals, or not a number).",
  AMOUNT_OUT_OF_RANGE: "The amount must be more than zero and at most what one charge may be.",
  UNKNOWN_RELEASE_LINE: "No such release line.",
  UNKNOWN_HOST: "No such host.",
  NO_HOST_TO_FUND: "No admitted host runs this line (or the host is not admitted): nobody to fund.",
  REQUEST_KEY_REUSED: "The form's request key was already used for another funding.",
  ALREADY_PAID: "This funding has already been paid.",
  UNKNOWN_FUNDING: "No such funding.",
  NOT_THE_FUNDER: "Only the funder can cancel their funding.",
  NOT_RECURRING: "A one-time funding has nothing to cancel.",
  ALREADY_CANCELED: "The funding has ended, or already stops renewing at its paid period's end.",
  NOT_STARTED: "The funding's first payment has not come through yet.",
  NOT_HOST_OPERATOR: "Only an operator of the host declares its costs.",
  NOT_RUNNING_LINE: "The host has not declared that it runs this release line.",
  FUNDING_PAYMENT_MISMATCH: "A payment of another provider or currency than the funding's.",
} as const;
