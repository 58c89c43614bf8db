import crypto from "node:crypto";
import { x509 } from "./x509";
import { parseLicenseUri } from "./license-urls";

/** Serial numbers as lower-case hex without leading zero bytes, the one form stored and compared. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, "");
}

/** SHA-256 (base64url) of a SubjectPublicKeyInfo: the key fingerprint licenses name. */
export async function spkiSha256(spkiDer: ArrayBuffer | Uint8Array): Promise<string> {
  return crypto.createHash("sha256").update(new Uint8Array(spkiDer)).digest("base64url");
}

/** The license a certificate names in its SAN URI, or null. */
export function licenseOfCertificate(cert: x509.X509Certificate): { theaterOrgId: string; licenseId: string } | null {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  for (const name of san?.names.items ?? []) {
    if (name.type === "url") {
      const parsed = parseLicenseUri(name.value);
      if (parsed) return parsed;
    }
  }
  return null;
}

/** Splits a PEM bundle into its certificates. */
export function parseCertificateBundle(pem: string): x509.X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new x509.X509Certificate(b));
}
