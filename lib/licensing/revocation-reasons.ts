import "server-only";
import { x509 } from "./x509";

/** The RFC 5280 reasons Guildhall uses, by the names stored in LicenseCertificate.revocationReason. */
export const revocationReasons = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
  privilegeWithdrawn: x509.X509CrlReason.privilegeWithdrawn,
  certificateHold: x509.X509CrlReason.certificateHold,
} as const;

export type RevocationReason = keyof typeof revocationReasons;
/** Reasons a person may give for a permanent revocation (a hold is a suspension). */
export const permanentRevocationReasons = [
  "unspecified",
  "keyCompromise",
  "superseded",
  "cessationOfOperation",
  "privilegeWithdrawn",
] as const;
