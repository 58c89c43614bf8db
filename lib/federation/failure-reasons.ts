/**
 * The closed list of reasons the federation domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/federation/ gives one not listed here.
 */
export const federationFailureReasons = {
  WRONG_HOST: "These credentials belong to another host.",
  BAD_REPORT: "The signed usage report is not application/jose, is too large, or does not verify.",
  SIGNED_REPORT_REQUIRED:
    "A federation member reports usage signed with its federation key (POST /api/federation/usage-reports).",
} as const;
