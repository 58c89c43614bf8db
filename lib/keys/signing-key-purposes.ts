/**
 * Each purpose has its own keys, so that a key that signs ID tokens can never
 * be made to sign a license, and rotates on its own schedule.
 */
export const signingKeyPurposes = {
  "oidc-rs256": { alg: "RS256", rotateAfterDays: 90, publishDaysAfterRetire: 2 },
  "oidc-es256": { alg: "ES256", rotateAfterDays: 90, publishDaysAfterRetire: 2 },
  license: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  manifest: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  governance: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  // Signs purchase receipts (docs/RECEIPTS.md). A buyer may check a receipt years later, so retired keys stay
  // published for ten years, as license keys do.
  receipt: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  // Signs what leaves Guildhall whole (docs/EXPORTS.md): theater backups. An importer trusts it to vouch for the
  // keys and chain inside, so retired keys stay published as long as a backup may be restored.
  export: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  // The transparency log's checkpoint key is the log's identity for witnesses and verifiers (docs/LOG.md):
  // never rotated by age; `keys rotate --purpose log` is a deliberate act that hands them a new key.
  log: { alg: "EdDSA", rotateAfterDays: 36_500, publishDaysAfterRetire: 36_500 },
  // The trust anchor's key: signs the service configuration and the OpenID
  // Federation statements. ES256, which every federation implementation
  // accepts; pinned by hosts (and in DNS), so it rotates rarely and its old
  // keys stay published for as long as anything they signed may be checked.
  federation: { alg: "ES256", rotateAfterDays: 365, publishDaysAfterRetire: 3650 },
  // Outgoing webhooks (Standard Webhooks `v1a`, Ed25519): one public key serves every subscriber. A retired key
  // stays published for a week, longer than any delivery is retried with a signature it made.
  webhook: { alg: "EdDSA", rotateAfterDays: 365, publishDaysAfterRetire: 7 },
} as const;

export type SigningKeyPurpose = keyof typeof signingKeyPurposes;
