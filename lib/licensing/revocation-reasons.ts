import "server-only";

/**
 * The RFC 5280 reasons Guildhall uses, by the names stored in LicenseCertificate.revocationReason: the names of
 * @peculiar/x509's X509CrlReason, through which publish-crl.ts writes them into the CRL (a name, not the
 * library's number, so that this list does not load the library: lib/licensing/load-x509.ts says why).
 */
export const revocationReasons = [
  "unspecified",
  "keyCompromise",
  "superseded",
  "cessationOfOperation",
  "privilegeWithdrawn",
  "certificateHold",
] as const;

export type RevocationReason = (typeof revocationReasons)[number];
/** Reasons a person may give for a permanent revocation (a hold is a suspension). */
export const permanentRevocationReasons = [
  "unspecified",
  "keyCompromise",
  "superseded",
  "cessationOfOperation",
  "privilegeWithdrawn",
] as const;
