import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { loadX509 } from "@/lib/licensing/load-x509";
import { getCrlIssuer } from "@/lib/licensing/get-issuing-ca";
import { caSigningAlgorithm, CRL_VALIDITY_HOURS } from "@/lib/licensing/ca-algorithms";
import { revocationReasons, type RevocationReason } from "@/lib/licensing/revocation-reasons";

/** A stored reason, or unspecified for none (an older row) or one Guildhall does not use. */
function reasonOf(stored: string | null): RevocationReason {
  return revocationReasons.find((r) => r === stored) ?? "unspecified";
}

/**
 * Signs a new CRL of one intermediate in the caller's transaction, so a
 * suspension or revocation and the CRL that announces it commit together
 * (the JSON status endpoint reads the same rows). The CRL number comes from
 * an UPDATE of the CA row, which also serializes concurrent publications.
 * Certificates past their notAfter are left out (RFC 5280 5.1.2.6). An
 * origin's intermediate at a fork is signed for by the fork's CRL signer of
 * its name (getCrlIssuer); without one (before `ca init`) nothing is signed
 * and null returned: the change is recorded, and the certificate status
 * endpoint reports it.
 */
export async function publishCrl(tx: Tx, caId: string, now = new Date()) {
  const ca = await getCrlIssuer(caId, tx);
  if (!ca) return null;
  const { crlNumber } = await tx.certificateAuthority.update({
    where: { id: caId },
    data: { crlNumber: { increment: 1 } },
    select: { crlNumber: true },
  });
  const listed = await tx.licenseCertificate.findMany({
    where: { issuerId: caId, status: { in: ["HELD", "REVOKED"] }, notAfter: { gt: now } },
    select: { serialHex: true, revokedAt: true, revocationReason: true },
    orderBy: { revokedAt: "asc" },
  });
  // The X.509 libraries load at first use (lib/licensing/load-x509.ts says why).
  const [x509, { AsnConvert }, { CRLNumber, id_ce_cRLNumber }] = await Promise.all([
    loadX509(),
    import("@peculiar/asn1-schema"),
    import("@peculiar/asn1-x509"),
  ]);
  const nextUpdate = new Date(now.getTime() + CRL_VALIDITY_HOURS * 3_600_000);
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subject,
    thisUpdate: now,
    nextUpdate,
    signingKey: ca.privateKey,
    signingAlgorithm: caSigningAlgorithm,
    extensions: [
      ca.authorityKeyIdentifier,
      new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(crlNumber))),
    ],
    entries: listed.map((c) => ({
      serialNumber: c.serialHex,
      revocationDate: c.revokedAt ?? now,
      reason: x509.X509CrlReason[reasonOf(c.revocationReason)],
    })),
  });
  const der = new Uint8Array(crl.rawData);
  await tx.certificateRevocationList.create({
    data: { id: newId("crl"), issuerId: caId, crlNumber, thisUpdate: now, nextUpdate, der },
  });
  return { crlNumber, thisUpdate: now, nextUpdate, der };
}
