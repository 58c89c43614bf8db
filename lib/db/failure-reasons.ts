import "server-only";
/**
 * The closed list of reasons the db domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/db/ gives one not listed here.
 */
export const dbFailureReasons = {
  NOT_EMBEDDED: "The database is not the embedded one: back it up with the database server's own tools.",
  NOT_A_BACKUP: "The file is not a backup of a Guildhall database.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    db: typeof dbFailureReasons;
  }
}
