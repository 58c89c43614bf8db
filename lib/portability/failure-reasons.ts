import "server-only";
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
  BACKUP_NOT_A_BACKUP: "The file is not a Guildhall theater backup.",
  BACKUP_VERSION_UNSUPPORTED: "The backup's version is not one this Guildhall reads.",
  BACKUP_MALFORMED: "The backup does not fit its schema.",
  BACKUP_SIGNATURE_INVALID: "The backup's signature is not a valid JWS or does not verify.",
  BACKUP_UNKNOWN_KEY: "The backup is signed by a key that is not a trusted export key.",
  BACKUP_TAMPERED: "The backup's content differs from what was signed.",
  BACKUP_CERTIFICATE_INVALID: "A certificate in the backup does not verify.",
  BACKUP_CHAIN_INVALID: "The backup's certificate chain does not verify.",
  BACKUP_INCONSISTENT: "The backup's records contradict each other.",
  BACKUP_LICENSE_DOCUMENT_INVALID: "A license document in the backup does not verify.",
  BACKUP_RECEIPT_INVALID: "A receipt in the backup does not verify.",
  ARCHIVE_DIR_NOT_EMPTY: "The directory to export an organization archive into is not an empty directory.",
  ARCHIVE_NOT_AN_ARCHIVE: "The directory holds no Guildhall organization archive.",
  ARCHIVE_VERSION_UNSUPPORTED: "The archive's format version is newer than this Guildhall reads.",
  ARCHIVE_MALFORMED: "The archive's manifest or a file in it does not fit its schema.",
  ARCHIVE_SCHEMA_MISMATCH: "The archive's database schema is another release's than this Guildhall's.",
  ARCHIVE_INCOMPLETE: "The archive lacks a file its manifest lists, or a table it must hold.",
  ARCHIVE_TAMPERED: "The archive's content differs from what was signed.",
  ARCHIVE_LOG_INVALID: "The archive's log checkpoint is not the origin log's signed one.",
  ARCHIVE_INCONSISTENT: "The archive's records contradict each other.",
  ARCHIVE_SIGNATURE_INVALID: "The archive's signature is not a valid JWS or does not verify.",
  ARCHIVE_CLOCK_BEHIND:
    "This Guildhall's clock is behind the time the archive was exported: what it records would look older than the origin's records.",
  ARCHIVE_UNKNOWN_KEY: "The archive is signed by a key that is not a trusted export key.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    portability: typeof portabilityFailureReasons;
  }
}
