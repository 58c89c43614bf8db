import "server-only";
/**
 * The CA's own keys are ECDSA P-256 with SHA-256: accepted by every TLS
 * stack hosts may run (OpenSSL, BoringSSL, Go, Java), and cheap to sign with,
 * which the issuance target of 200 per second needs.
 */
export const caKeyAlgorithm = { name: "ECDSA", namedCurve: "P-256" } as const;
export const caSigningAlgorithm = { name: "ECDSA", hash: "SHA-256" } as const;

export const ROOT_VALIDITY_YEARS = 20;
export const INTERMEDIATE_VALIDITY_YEARS = 5;
/** A CRL is valid for a day and re-signed when half of that has passed. */
export const CRL_VALIDITY_HOURS = 24;
export const CRL_REFRESH_AFTER_HOURS = 12;

/** A positive 128-bit serial (high bit clear, first byte non-zero), as lower-case hex. */
export function randomSerialHex(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

export function addYears(d: Date, years: number): Date {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}
