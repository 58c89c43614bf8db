import "server-only";
/**
 * The closed list of reasons the ledger domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/ledger/ gives one not listed here.
 */
export const ledgerFailureReasons = {
  ALREADY_REVERSED: "This entry has already been reversed.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    ledger: typeof ledgerFailureReasons;
  }
}
