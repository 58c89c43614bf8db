import "server-only";
/**
 * The closed list of reasons the http domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/http/ gives one not listed here.
 */
export const httpFailureReasons = {
  DATABASE_UNAVAILABLE: "The database is unavailable for a moment; retry.",
  BODY_TOO_LARGE: "The request body is larger than this endpoint takes.",
  MALFORMED_INPUT:
    "The request carries text no field may hold (control characters, lone surrogates, malformed escapes), a body that does not parse, or one of the wrong type.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    http: typeof httpFailureReasons;
  }
}
