/**
 * The closed list of answers a license or certificate check gives. A host
 * switches on `code`; `detail` is for people and logs.
 */
export const licenseVerificationCodes = [
  "VALID",
  "MALFORMED", // not a compact JWS / not a certificate, or fields missing
  "UNSUPPORTED_ALGORITHM", // signed with something other than EdDSA (documents) or an unknown key type
  "UNKNOWN_KEY", // kid not in the published JWKS
  "BAD_SIGNATURE", // the signature does not verify
  "WRONG_ISSUER", // signed by Guildhall, but another Guildhall deployment
  "NOT_YET_VALID",
  "EXPIRED",
  "WRONG_KEY", // the certificate presented is not the one the document names
  "UNTRUSTED", // the certificate does not chain to the org CA
  "WRONG_USAGE", // the certificate is not a client-authentication certificate of a license
  "SUSPENDED", // on the CRL with certificateHold
  "REVOKED", // on the CRL with any other reason
  "CRL_STALE", // the CRL given is past its nextUpdate: revocation state unknown
] as const;

export type LicenseVerificationCode = (typeof licenseVerificationCodes)[number];

export type LicenseVerification<T = undefined> =
  | { valid: true; code: "VALID"; detail: string; value: T }
  | { valid: false; code: Exclude<LicenseVerificationCode, "VALID">; detail: string };

export function refuse(
  code: Exclude<LicenseVerificationCode, "VALID">,
  detail: string,
): { valid: false; code: typeof code; detail: string } {
  return { valid: false, code, detail };
}
