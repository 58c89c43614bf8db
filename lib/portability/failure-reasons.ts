/**
 * The closed list of reasons the portability domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/portability/ gives one not listed here.
 */
export const portabilityFailureReasons = {
  ACCOUNT_NOT_FOUND: "No such account.",
  THEATER_NOT_FOUND: "No such theater.",
  LAST_ORG_ADMIN: "You are the last org admin: grant the role to someone else before deleting your account.",
  LAST_MEMBER_ADMIN:
    "You are the last admin of an organization: make someone else its admin before deleting your account.",
  TARGET_NOT_EMPTY:
    "This Guildhall already holds something of the backup: import into one that does not hold this theater.",
  SCHEMA_NOT_FOUND: "No such schema.",
} as const;
