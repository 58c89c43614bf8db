/**
 * The stable public URLs of licensing. They are written into every
 * certificate (CRL distribution point, authority information access) and
 * license document, so they must never move.
 */
export const licensingPaths = {
  jwks: "/.well-known/guildhall/license-keys.json",
  rootCertificate: "/.well-known/guildhall/ca/root.pem",
  issuerCertificate: (caId: string) => `/.well-known/guildhall/ca/${caId}.cer`,
  crl: (caId: string) => `/.well-known/guildhall/ca/${caId}.crl`,
  certificateStatus: (serialHex: string) => `/.well-known/guildhall/certificate-status/${serialHex}`,
} as const;

export function licensingUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${path}`;
}

/** The SAN URI that names what a certificate certifies. */
export function licenseUri(theaterOrgId: string, licenseId: string): string {
  return `urn:guildhall:theater:${theaterOrgId}:license:${licenseId}`;
}

export function parseLicenseUri(uri: string): { theaterOrgId: string; licenseId: string } | null {
  const m = /^urn:guildhall:theater:([A-Za-z0-9_-]+):license:([A-Za-z0-9_-]+)$/.exec(uri);
  return m ? { theaterOrgId: m[1], licenseId: m[2] } : null;
}
