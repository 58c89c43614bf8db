import "server-only";
/**
 * The closed list of reasons the auth domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/auth/ gives one not listed here.
 */
export const authFailureReasons = {
  TOO_MANY_PASSKEYS: "The account has as many passkeys as it may; remove one first.",
  BAD_CODE: "That code is wrong or has expired. Ask for a new one.",
  OTHER_BROWSER: "This code was asked for in another browser. Enter it there, or ask for a new code in this browser.",
  SESSION_NOT_FOUND: "No such session on your account.",
  PASSKEY_NOT_FOUND: "No such passkey on your account.",
  REAUTH_REQUIRED: "To add a passkey, sign in again first: it must be you, not just your open session.",
  ALREADY_VERIFIED: "Your email address is already confirmed.",
  EMAIL_TAKEN: "An account with this email address already exists.",
  unverified_account_claimed:
    "A sign-in through a provider whose email is not verified would take over an existing account.",
  NO_ACCOUNT: "There is no Guildhall account for this address.",
  ACCOUNT_DISABLED: "This account is disabled.",
  UNKNOWN_PASSKEY: "This passkey is not registered here.",
  WRONG_PASSKEY: "This passkey belongs to another account.",
  BAD_SIGNATURE: "The passkey signature did not verify.",
  BAD_ATTESTATION: "The new passkey could not be verified. Try again.",
  PASSKEY_EXISTS: "This passkey is already registered.",
  BAD_CHALLENGE: "The passkey request expired or was already used. Try again.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    auth: typeof authFailureReasons;
  }
}
