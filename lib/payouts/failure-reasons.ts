import "server-only";
/**
 * The closed list of reasons the payouts domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/payouts/ gives one not listed here.
 */
export const payoutsFailureReasons = {
  BATCH_NOT_FOUND: "No such payout batch.",
  BATCH_NOT_DRAFT: "Only a draft batch can be approved.",
  ALREADY_APPROVED: "You have already approved this batch; a second finance user must.",
  COUNTRY_INVALID: "The country is a two-letter code, such as DE, FR or US.",
  PAYEE_NOT_FOUND: "No such payee organization.",
  COUNTRY_REQUIRED: "Choose the country of the bank account the payouts go to.",
  NOTHING_TO_PAY: "Nobody is owed anything in this currency now.",
  ITEM_NOT_FOUND: "No such payout item.",
  BATCH_NOT_VOIDABLE: "The batch is past the point where it can be voided.",
  ITEM_NOT_RETRYABLE: "Only a failed transfer of a finished batch can be sent again.",
  PAYEE_NOT_CONNECTED: "The payee cannot be paid yet (no connected payout account); retry once it has one.",
  IN_LATER_BATCH: "A later batch already holds this payee's balance; it is paid there.",
  TRANSFER_REVERSED: "The provider took the transfer back; the amount is owed again and goes into the next batch.",
  BATCH_NOT_APPROVED: "Only an approved batch can be executed.",
  BATCH_ALREADY_EXECUTED: "The batch has been executed already.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    payouts: typeof payoutsFailureReasons;
  }
}
