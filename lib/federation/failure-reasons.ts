import "server-only";
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
  UNKNOWN_HOST: "The usage report's issuer is not an admitted host.",
  BAD_SIGNATURE: "The usage report's signature does not verify with the host's admitted keys.",
  WRONG_AUDIENCE: "The usage report is meant for another trust anchor.",
  STALE_REPORT: "The usage report was signed too long ago, or in the future.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    federation: typeof federationFailureReasons;
  }
}
