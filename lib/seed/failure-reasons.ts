import "server-only";
/**
 * The closed list of reasons the seed domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/seed/ gives one not listed here.
 */
export const seedFailureReasons = {
  NOT_IN_PRODUCTION: "Demo witnesses are for development; in production a host's witness is set by an org admin.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    seed: typeof seedFailureReasons;
  }
}
