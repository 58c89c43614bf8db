import type { Tx } from "@/lib/db/client";
import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { env } from "@/lib/config/env";
import { newId } from "@/lib/ids";
import { x509 } from "@/lib/licensing/x509";
import type { IssuingCa } from "@/lib/licensing/get-issuing-ca";
import { caSigningAlgorithm, randomSerialHex } from "@/lib/licensing/ca-algorithms";
import { licenseUri, licensingPaths, licensingUrl } from "@/lib/licensing/license-urls";
import { signLicenseDocument } from "@/lib/licensing/sign-license-document";
import type { ActiveSigningKey } from "@/lib/keys/get-active-signing-key";

const CLOCK_SKEW_MS = 60_000;

export type CertifiedKey = { spkiDer: ArrayBuffer; publicKey?: x509.PublicKey; keyAlgorithm: string; keySha256: string };

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits, without importing the key. */
function subjectKeyIdentifier(spkiDer: ArrayBuffer): x509.SubjectKeyIdentifierExtension {
  const bits = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo).subjectPublicKey;
  return new x509.SubjectKeyIdentifierExtension(crypto.createHash("sha1").update(new Uint8Array(bits)).digest("hex"));
}

export type MintInput = {
  license: { id: string; theaterOrgId: string; planId: string; entitlements: unknown; validFrom: Date; validUntil: Date };
  theater: { id: string; slug: string; name: string };
  plan: { id: string; name: string };
  key: CertifiedKey;
  ca: IssuingCa;
  signingKey: ActiveSigningKey;
  now: Date;
  createdById: string | null;
};

/** A certificate row ready to store (status, revocation and createdAt take their defaults). */
export type MintedCertificate = {
  id: string;
  licenseId: string;
  issuerId: string;
  serialHex: string;
  keyAlgorithm: string;
  keySha256: string;
  certificatePem: string;
  licenseDocument: string;
  notBefore: Date;
  notAfter: Date;
  createdById: string | null;
};

/**
 * Signs a client certificate and the matching license document for a key and
 * stores both, in the caller's transaction (see buildLicenseCertificate).
 */
export async function mintLicenseCertificate(tx: Tx, input: MintInput) {
  return tx.licenseCertificate.create({ data: await buildLicenseCertificate(input) });
}

/**
 * Signs a client certificate and the matching license document for a key,
 * without storing them. The certificate ends with the
 * license (never after it, nor after the issuing CA), says what it certifies
 * in a SAN URI, and points at Guildhall for its CRL and issuer.
 */
export async function buildLicenseCertificate(input: MintInput): Promise<MintedCertificate> {
  const { license, theater, plan, key, ca, now } = input;
  const publicUrl = env().publicUrl;
  const serialHex = randomSerialHex();
  const notBefore = new Date(Math.max(now.getTime() - CLOCK_SKEW_MS, license.validFrom.getTime() - CLOCK_SKEW_MS));
  const notAfter = license.validUntil < ca.certificate.notAfter ? license.validUntil : ca.certificate.notAfter;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: `CN=${theater.slug.replace(/[^A-Za-z0-9-]/g, "-")}, OU=${license.id}, O=Guildhall Theaters`,
    issuer: ca.certificate.subject,
    notBefore,
    notAfter,
    publicKey: key.publicKey ?? new x509.PublicKey(key.spkiDer),
    signingKey: ca.privateKey,
    signingAlgorithm: caSigningAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: licenseUri(theater.id, license.id) }]),
      subjectKeyIdentifier(key.spkiDer),
      ca.authorityKeyIdentifier,
      new x509.CRLDistributionPointsExtension([licensingUrl(publicUrl, licensingPaths.crl(ca.id))]),
      new x509.AuthorityInfoAccessExtension({ caIssuers: licensingUrl(publicUrl, licensingPaths.issuerCertificate(ca.id)) }),
    ],
  });
  const id = newId("crt");
  const licenseDocument = await signLicenseDocument({
    iss: publicUrl,
    sub: license.id,
    jti: id,
    iat: Math.floor(now.getTime() / 1000),
    nbf: Math.floor(notBefore.getTime() / 1000),
    exp: Math.floor(notAfter.getTime() / 1000),
    license: {
      id: license.id,
      theater,
      plan,
      entitlements: license.entitlements as Record<string, number>,
      validFrom: license.validFrom.toISOString(),
      validUntil: license.validUntil.toISOString(),
    },
    key: { sha256: key.keySha256, algorithm: key.keyAlgorithm, certificateSerial: serialHex },
  }, input.signingKey);
  return {
    id,
    licenseId: license.id,
    issuerId: ca.id,
    serialHex,
    keyAlgorithm: key.keyAlgorithm,
    keySha256: key.keySha256,
    certificatePem: certificate.toString("pem"),
    licenseDocument,
    notBefore,
    notAfter,
    createdById: input.createdById,
  };
}
