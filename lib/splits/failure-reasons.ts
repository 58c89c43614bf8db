import "server-only";
/**
 * The closed list of reasons the splits domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/splits/ gives one not listed here.
 */
export const splitsFailureReasons = {
  SPLIT_POLICY_NOT_FOUND: "No such split policy version.",
  SPLIT_POLICY_NOT_DRAFT: "This version is not a draft.",
  APPROVALS_MISSING: "Two different finance users must approve this version first.",
  ALREADY_APPROVED: "You have already approved this version; another finance user must.",
  NO_ACTIVE_SPLIT_POLICY:
    "No split policy is active for the product kind and currency; finance must approve one first.",
  PERIOD_NOT_CLOSED: "Usage can be reported only for a month that has ended.",
  PERIOD_TOO_OLD: "Usage can be reported for the last few months only.",
  HOST_NOT_FOUND: "No such host.",
  PERIOD_BEFORE_HOST: "Usage cannot be reported for a month before the host joined.",
  SIGNED_REPORT_EXISTS: "This month's usage was reported signed by the host; only a newer signed report replaces it.",
  REPORT_REPLAYED: "A report of this month signed at the same time or later is already recorded.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    splits: typeof splitsFailureReasons;
  }
}
