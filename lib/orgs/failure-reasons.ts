import "server-only";
/**
 * The closed list of reasons the orgs domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/orgs/ gives one not listed here.
 */
export const orgsFailureReasons = {
  INVITATION_NOT_FOUND: "This invitation link is not valid.",
  ORG_SUSPENDED: "The organization is suspended; it cannot invite or take new members now.",
  EMAIL_UNCONFIRMED: "Confirm your email address first, then accept.",
  INVITATION_EMAIL_MISMATCH: "This invitation was sent to another address; sign in with that one to accept it.",
  INVITATION_ACCEPTED: "This invitation has already been used.",
  ROLE_DOES_NOT_FIT_ORG: "The role is not one this kind of organization gives its members.",
  SLUG_TAKEN: "Another organization has this slug.",
  EMAIL_TAKEN: "An account for this address already exists.",
  DISABLE_SELF: "You cannot disable your own account.",
  USER_NOT_FOUND: "No such user.",
  LAST_ORG_ADMIN: "This is the last org admin; grant the role to someone else first.",
  ALREADY_MEMBER: "The person is already a member of the organization.",
  NOT_A_MEMBER: "That user is not a member.",
  LAST_MEMBER: "The last member of an organization cannot be removed; ask an org admin.",
  INVITATION_REVOKED: "This invitation was withdrawn.",
  INVITATION_EXPIRED: "This invitation has expired.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    orgs: typeof orgsFailureReasons;
  }
}
