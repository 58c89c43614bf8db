/**
 * What of an audit event the public log may show in clear (docs/LOG.md).
 *
 * - `data` keys that hold personal data are replaced by salted commitments:
 *   every key named `email`, at any depth, and the keys listed per action below.
 * - The digest of an event's state is published as it is only for subjects
 *   whose state is public by nature (an allow-list: a subject type added later
 *   is committed until someone decides otherwise); for all others, a user's
 *   state holding an email and a name for instance, it is committed with a
 *   salt too, since an unsalted hash of a guessable state would let anyone
 *   test a guess.
 */
export const PERSONAL_DATA_KEYS_BY_ACTION: Readonly<Record<string, readonly string[]>> = {
  "user.renamed": ["name"],
  "passkey.renamed": ["from", "to"],
  "passkey.removed": ["name"],
  // The reason a person gave for deleting their account is their own words (lib/portability/delete-account.ts).
  "user.deleted": ["reason"],
  // A funder's reason for stopping their funding is their own words (lib/funding/cancel-funding.ts).
  "funding.cancel_requested": ["reason"],
};

export const ALWAYS_PERSONAL_KEYS: ReadonlySet<string> = new Set(["email"]);

export const PUBLIC_STATE_SUBJECT_TYPES: ReadonlySet<string> = new Set([
  "license",
  "license_plan",
  "certificate",
  "certificate_authority",
  "crl",
  "oidc_client",
  "signing_key",
  "split_policy",
  "payout_batch",
  "proposal",
  "ballot",
  "release",
  "release_line",
  "release_manifest",
  "governance_rule",
  "organization",
]);

/** Entry bundles prefix each entry with a 16-bit length (tlog-tiles), so no entry may be longer. */
export const MAX_ENTRY_BYTES = 65_535;
