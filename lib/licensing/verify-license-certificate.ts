import { x509 } from "./x509";
import { normalizeSerial, spkiSha256 } from "./certificate-facts";
import { licenseOfCertificate, parseCertificateBundle } from "./certificate-contents";
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

  // Several CA certificates may bear the issuer's name: the origin's intermediate and, at a fork, the fork
  // root's cross-certificate of the same key. The certificate chains when any of them signed it and chains on.
  let issuer: x509.X509Certificate | undefined;
  for (const candidate of intermediates.filter((c) => c.subject === cert.issuer && isCa(c, "keyCertSign")))
    if (!issuer && (await chainsToRoot(candidate, roots, now)) && (await signedBy(cert, candidate))) issuer = candidate;
  if (!issuer) {
    if (!intermediates.some((c) => c.subject === cert.issuer))
      return refuse("UNTRUSTED", `no trusted issuer named ${cert.issuer}`);
    return refuse("UNTRUSTED", "the issuer does not chain to the org root CA, or did not sign the certificate");
  }
  if (now < cert.notBefore) return refuse("NOT_YET_VALID", `valid from ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) return refuse("EXPIRED", `expired at ${cert.notAfter.toISOString()}`);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const names = licenseOfCertificate(cert);
  if (!eku?.usages.includes(x509.ExtendedKeyUsage.clientAuth) || !names)
    return refuse("WRONG_USAGE", "not a license client certificate");

  const serialHex = normalizeSerial(cert.serialNumber);
  let revocation: RevocationState = "good";
  if (trust.crls?.length) {
    const checked = await currentCrlsOf(issuer, trust.crls, intermediates, roots, now);
    if (typeof checked === "string") return refuse("CRL_STALE", checked);
    for (const crl of checked) {
      const entry = crl.findRevoked(cert);
      if (entry && revocation !== "revoked")
        revocation = entry.reason === x509.X509CrlReason.certificateHold ? "held" : "revoked";
    }
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

function isCa(c: x509.X509Certificate, usage: "keyCertSign" | "cRLSign"): boolean {
  const flags = c.getExtension(x509.KeyUsagesExtension)?.usages;
  const allowed = flags === undefined || (flags & x509.KeyUsageFlags[usage]) !== 0;
  return allowed && (usage === "cRLSign" || c.getExtension(x509.BasicConstraintsExtension)?.ca === true);
}

async function signedBy(c: x509.X509Certificate | x509.X509Crl, signer: x509.X509Certificate): Promise<boolean> {
  try {
    return c instanceof x509.X509Crl
      ? await c.verify({ publicKey: signer })
      : await c.verify({ publicKey: signer, signatureOnly: true });
  } catch {
    return false;
  }
}

/** A CA certificate one of the trusted roots signed, valid now. A fork's root and its origin's share a name. */
async function chainsToRoot(c: x509.X509Certificate, roots: x509.X509Certificate[], now: Date): Promise<boolean> {
  for (const root of roots.filter((r) => r.subject === c.issuer))
    if (await c.verify({ publicKey: root, date: now }).catch(() => false)) return true;
  return false;
}

/**
 * The current CRLs for what `issuer` issued, or why there is none. A CRL counts when the issuer signed it, or
 * (RFC 5280 §5, a CRL signed with another key of the same issuer name) a certificate of the issuer's name
 * with the cRLSign usage that a trusted root signed: how a fork keeps its origin's CRLs current, having no
 * origin key (docs/EXPORTS.md). Every current one counts: a certificate listed on any of them is refused.
 */
async function currentCrlsOf(
  issuer: x509.X509Certificate,
  raws: (Uint8Array | string)[],
  intermediates: x509.X509Certificate[],
  roots: x509.X509Certificate[],
  now: Date,
): Promise<x509.X509Crl[] | string> {
  const signers = [issuer];
  for (const c of intermediates.filter((c) => c.subject === issuer.subject && c !== issuer))
    if (isCa(c, "cRLSign") && (await chainsToRoot(c, roots, now))) signers.push(c);
  const signed: x509.X509Crl[] = [];
  for (const raw of raws) {
    const crl = new x509.X509Crl(typeof raw === "string" ? raw : new Uint8Array(raw));
    if (crl.issuer !== issuer.subject) continue;
    for (const signer of signers)
      if (await signedBy(crl, signer)) {
        signed.push(crl);
        break;
      }
  }
  if (signed.length === 0) return "no CRL signed by the certificate's issuer";
  const current = signed.filter((crl) => !crl.nextUpdate || now <= crl.nextUpdate);
  if (current.length === 0) {
    const last = Math.max(...signed.map((crl) => crl.nextUpdate?.getTime() ?? 0));
    return `the CRL expired at ${new Date(last).toISOString()}`;
  }
  return current;
}
