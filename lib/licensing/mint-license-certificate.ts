import "server-only";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { newId } from "@/lib/ids";
import type { IssuingCa } from "@/lib/licensing/get-issuing-ca";
import { randomSerialHex } from "@/lib/licensing/ca-algorithms";
import { licenseUri } from "@/lib/licensing/license-urls";
import { signLicenseDocument } from "@/lib/licensing/sign-license-document";
import type { ActiveSigningKey } from "@/lib/keys/get-active-signing-key";

const CLOCK_SKEW_MS = 60_000;

export type CertifiedKey = { spkiDer: ArrayBuffer; keyAlgorithm: string; keySha256: string };

export type MintInput = {
  license: {
    id: string;
    theaterOrgId: string;
    planId: string;
    entitlements: unknown;
    validFrom: Date;
    validUntil: Date;
  };
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
  const notAfter = new Date(Math.min(license.validUntil.getTime(), ca.certificate.notAfter.getTime()));
  // Imported here, at the first issuance: it loads the X.509 libraries (lib/licensing/load-x509.ts says why not sooner).
  const { signClientCertificate } = await import("@/lib/licensing/sign-client-certificate");
  const certificatePem = signClientCertificate(ca, {
    serialHex,
    subject: { commonName: theater.slug, organizationalUnit: license.id, organization: "Guildhall Theaters" },
    notBefore,
    notAfter,
    spkiDer: key.spkiDer,
    subjectAltNameUri: licenseUri(theater.id, license.id),
  });
  const id = newId("crt");
  const licenseDocument = await signLicenseDocument(
    {
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
    },
    input.signingKey,
  );
  return {
    id,
    licenseId: license.id,
    issuerId: ca.id,
    serialHex,
    keyAlgorithm: key.keyAlgorithm,
    keySha256: key.keySha256,
    certificatePem,
    licenseDocument,
    notBefore,
    notAfter,
    createdById: input.createdById,
  };
}
