import "server-only";
/**
 * The closed list of reasons the oidc domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/oidc/ gives one not listed here.
 */
export const oidcFailureReasons = {
  HOST_NOT_ACTIVE: "This host is not active.",
  NO_SECRET: "This client does not use a secret.",
  CLIENT_STATUS_TRANSITION: "The client cannot move from its status to the one asked for.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    oidc: typeof oidcFailureReasons;
  }
}
