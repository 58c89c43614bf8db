import { x509 } from "./x509";
import { parseLicenseUri } from "./license-urls";

// Apart from certificate-facts.ts, which the portal's request paths import: these parse certificates, which
// loads the X.509 libraries (lib/licensing/load-x509.ts says why the portal avoids that until it needs them).

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
