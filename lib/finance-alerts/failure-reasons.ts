import "server-only";
/**
 * The closed list of reasons the finance-alerts domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/finance-alerts/ gives one not listed here.
 */
export const financeAlertsFailureReasons = {
  NOT_FINANCE: "Finance only.",
  ALERT_NOT_FOUND: "No such open alert.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    financeAlerts: typeof financeAlertsFailureReasons;
  }
}
