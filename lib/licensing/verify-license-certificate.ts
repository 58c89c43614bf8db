import { x509 } from "./x509";
import { licenseOfCertificate, normalizeSerial, parseCertificateBundle, spkiSha256 } from "./certificate-facts";
import { refuse, type LicenseVerification } from "./license-verification-codes";
import type { RevocationState } from "./verify-license-document";

export type CertificateFacts = {
  serialHex: string;
  keySha256: string;
  theaterOrgId: string;
  licenseId: string;
  notAfter: Date;
  revocation: RevocationState;
};

export type TrustMaterial = {
  /**
   * The org root CA certificate (PEM), obtained once out of band or from /.well-known/guildhall/ca/root.pem;
   * on a fork, a bundle with its predecessors' roots too (/.well-known/guildhall/ca/predecessors.pem).
   */
  rootPem: string;
  /** Issuing intermediates (PEM bundle); a client usually sends its own in the chain. */
  intermediatesPem?: string;
  /** CRLs of the intermediates (DER or PEM). Without them revocation is not checked. */
  crls?: (Uint8Array | string)[];
};

/**
 * Offline check of a license certificate, the same rules the example host
 * applies after the TLS handshake. Checks, in order: parseable (MALFORMED);
 * issued by a known intermediate whose signature verifies and which the root
 * signed (UNTRUSTED); validity window (NOT_YET_VALID, EXPIRED); a client
 * certificate naming a license (WRONG_USAGE); on a current CRL of its issuer
 * (SUSPENDED, REVOKED, CRL_STALE).
 */
export async function verifyLicenseCertificate(
  certificatePem: string,
  trust: TrustMaterial,
  now = new Date(),
): Promise<LicenseVerification<CertificateFacts>> {
  let cert: x509.X509Certificate;
  let roots: x509.X509Certificate[];
  let intermediates: x509.X509Certificate[];
  try {
    const presented = parseCertificateBundle(certificatePem);
    if (presented.length === 0) return refuse("MALFORMED", "no certificate in the input");
    [cert] = presented;
    roots = parseCertificateBundle(trust.rootPem);
    if (roots.length === 0) return refuse("MALFORMED", "no root certificate in the trust material");
    intermediates = [...presented.slice(1), ...parseCertificateBundle(trust.intermediatesPem ?? "")];
  } catch (e) {
    return refuse("MALFORMED", `unreadable certificate: ${e instanceof Error ? e.message : String(e)}`);
  }

  const issuer = intermediates.find((c) => c.subject === cert.issuer);
  if (!issuer) return refuse("UNTRUSTED", `no trusted issuer named ${cert.issuer}`);
  const issuerIsCa = issuer.getExtension(x509.BasicConstraintsExtension)?.ca === true;
  // A fork's root and its origin's have the same name: the issuer chains to the org if any of them signed it.
  let chained = false;
  for (const root of roots.filter((r) => r.subject === issuer.issuer))
    chained ||= await issuer.verify({ publicKey: root, date: now });
  if (!issuerIsCa || !chained) {
    return refuse("UNTRUSTED", "the issuer does not chain to the org root CA");
  }
  if (!(await cert.verify({ publicKey: issuer, signatureOnly: true })))
    return refuse("UNTRUSTED", "the certificate's signature does not verify");
  if (now < cert.notBefore) return refuse("NOT_YET_VALID", `valid from ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) return refuse("EXPIRED", `expired at ${cert.notAfter.toISOString()}`);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const names = licenseOfCertificate(cert);
  if (!eku?.usages.includes(x509.ExtendedKeyUsage.clientAuth) || !names)
    return refuse("WRONG_USAGE", "not a license client certificate");

  const serialHex = normalizeSerial(cert.serialNumber);
  let revocation: RevocationState = "good";
  if (trust.crls?.length) {
    const crl = trust.crls
      .map((raw) => new x509.X509Crl(typeof raw === "string" ? raw : new Uint8Array(raw)))
      .find((c) => c.issuer === issuer.subject);
    if (!crl || !(await crl.verify({ publicKey: issuer })))
      return refuse("CRL_STALE", "no CRL signed by the certificate's issuer");
    if (crl.nextUpdate && now > crl.nextUpdate)
      return refuse("CRL_STALE", `the CRL expired at ${crl.nextUpdate.toISOString()}`);
    const entry = crl.findRevoked(cert);
    if (entry) revocation = entry.reason === x509.X509CrlReason.certificateHold ? "held" : "revoked";
  }
  if (revocation === "held") return refuse("SUSPENDED", `certificate ${serialHex} is on hold (license suspended)`);
  if (revocation === "revoked") return refuse("REVOKED", `certificate ${serialHex} is revoked`);
  return {
    valid: true,
    code: "VALID",
    detail: `certificate ${serialHex} of license ${names.licenseId}`,
    value: {
      serialHex,
      keySha256: await spkiSha256(cert.publicKey.rawData),
      ...names,
      notAfter: cert.notAfter,
      revocation,
    },
  };
}
