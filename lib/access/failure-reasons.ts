import "server-only";
/**
 * The closed list of reasons the access domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/access/ gives one not listed here.
 */
export const accessFailureReasons = {
  ACCOUNT_DISABLED: "This account is disabled.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    access: typeof accessFailureReasons;
  }
}
