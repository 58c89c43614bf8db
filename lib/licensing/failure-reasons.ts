import "server-only";
/**
 * The closed list of reasons the licensing domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/licensing/ gives one not listed here.
 */
export const licensingFailureReasons = {
  LICENSE_NOT_FOUND: "No such license.",
  PLAN_NOT_FOUND: "No such plan.",
  CA_NOT_FOUND: "No such issuing CA.",
  CA_NOT_INITIALIZED: "The org CA is not set up yet (an operator runs the CLI's licensing ca init).",
  NO_CERTIFICATE: "No certificate has been issued for this license yet.",
  CA_EXISTS: "The org CA exists already.",
  ROOT_KEY_FILE_EXISTS: "The root key file exists already; a key is never overwritten.",
  NOT_THEATER_ADMIN: "You do not administer the theater that holds this license.",
  BAD_API_TOKEN: "The theater API token is malformed, unknown, expired or revoked.",
  ROOT_KEY_UNREADABLE: "The root key file is not a P-256 PKCS#8 private key.",
  ROOT_KEY_MISMATCH: "That key is not the private key of the org root CA.",
  TOKEN_NOT_FOUND: "No such token.",
  CA_FILE_NOT_FOUND: "No such CA file.",
  KEY_TYPE_FORBIDDEN: "The request's public key is of a type Guildhall does not certify.",
  KEY_TOO_SMALL: "The request's RSA key is smaller than 3072 bits.",
  CSR_MALFORMED: "The certificate request is missing, too large, or not valid PKCS#10 PEM.",
  CSR_SIGNATURE_INVALID: "The certificate request's signature does not match its public key.",
  LICENSE_PENDING_PAYMENT: "The license awaits payment; it cannot change standing that way.",
  LICENSE_NOT_PAID: "The license is not paid yet; no certificate is issued for it.",
  LICENSE_ACTIVE: "The license is active; it cannot change standing that way.",
  LICENSE_EXPIRED: "The license has expired; renew it first.",
  LICENSE_SUSPENDED: "The license is suspended.",
  LICENSE_REVOKED: "The license is revoked.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    licensing: typeof licensingFailureReasons;
  }
}
