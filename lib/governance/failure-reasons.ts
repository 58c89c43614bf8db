import "server-only";
/**
 * The closed list of reasons the governance domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/governance/ gives one not listed here.
 */
export const governanceFailureReasons = {
  TEST_CLOCK_OFF: "The test clock is off: start with GUILDHALL_TEST_CLOCK=1 (tests only).",
  ALREADY_CLOSED: "This vote is already closed.",
  WINDOW_NOT_OVER: "This vote is open until its window ends; nobody can close it before.",
  BALLOTS_FAIL_VERIFICATION: "Stored ballots fail verification; the vote is not closed.",
  UNKNOWN_HOST: "No such host.",
  HOST_NOT_ACTIVE: "Only an admitted host declares a release.",
  UNKNOWN_RELEASE: "That release is not approved.",
  NOT_A_LINE_HOST: "The release line is run by the hosts its fork named.",
  BAD_DOMAIN: "The domain is not a DNS name.",
  BAD_TTL: "The TTL is 60 to 86400 seconds.",
  NO_SUCH_VERSION: "There is no such service configuration version.",
  NO_REASON: "Give a reason of 3 to 500 characters.",
  PROPOSAL_NOT_OPEN: "This proposal is not open for voting yet.",
  PROPOSAL_CLOSED: "Voting on this proposal has closed.",
  NOT_ON_ROSTER: "Only members and committers on the roster when this vote opened can vote on it.",
  NOT_A_DRAFT: "This proposal is already open or closed.",
  NOT_PROPOSER: "Only the proposer or an org admin opens a proposal.",
  EMPTY_ROSTER: "Nobody holds a binding vote.",
  JUSTIFICATION_REQUIRED:
    "A -1 on this vote is a veto: write your justification (what is wrong, and what would change your vote) before you sign.",
  DIGEST_NOT_CONFIRMED: "Confirm that you checked the artifact digest before you sign.",
  NO_PASSKEY: "Add a passkey to your account to vote: ballots are signed with it.",
  RULE_TYPE_FIXED: "A kind's rule type is fixed; only its values can change.",
  BALLOT_REPLAYED: "This signature was already used for another ballot.",
  SIGNATURE_CONTENT_MISMATCH: "The signed ballot is not the ballot submitted.",
  PASSKEY_NOT_VOTERS: "The passkey that signed is not registered to the voter.",
  ACCOUNT_DISABLED: "The voter's account is disabled.",
  PASSKEY_TOO_NEW:
    "The passkey was added to the account moments ago, beside an older one: it signs ballots once its owner has had time to hear of it.",
  CHALLENGE_MISMATCH: "The signature answers another challenge than this ballot's.",
  COUNTER_REGRESSED: "The passkey's signature counter went backwards (a cloned authenticator?).",
  BAD_SIGNATURE: "The ballot's passkey signature does not verify.",
  RELYING_PARTY_CHANGED: "The public URL changed after the ballot was prepared; prepare and sign it again.",
  UNKNOWN_RELEASE_LINE: "The proposal names a release line that does not exist.",
  VERSION_TAKEN: "The version is already approved on that release line.",
  LINE_NAME_TAKEN: "A release line of that name exists.",
  UNKNOWN_SPLIT_POLICY: "The proposal names no split-policy version.",
  SPLIT_POLICY_NOT_DRAFT: "Only a drafted split-policy version can be voted on.",
  UNKNOWN_USER: "The proposal names no user.",
  WITNESS_KEY_TAKEN: "That witness key is another host's witness.",
  WINDOW_TOO_SHORT: "The vote's window is shorter than its kind's rule allows (or longer than 60 days).",
  BAD_FEDERATION_KEY: "A federation key in the declaration is not a usable public key.",
  ENTITY_ID_TAKEN: "That entity id belongs to another host.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    governance: typeof governanceFailureReasons;
  }
}
