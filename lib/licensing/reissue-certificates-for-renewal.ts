import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineEffect } from "@/lib/outbox/define-effect";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getLicenseSigningKey } from "@/lib/licensing/get-license-signing-key";
import { loadX509 } from "@/lib/licensing/load-x509";
import { getIssuingCa } from "@/lib/licensing/get-issuing-ca";
import { mintLicenseCertificate } from "@/lib/licensing/mint-license-certificate";
import { licenseState } from "@/lib/licensing/license-state";

/**
 * After a renewal, issues each current certificate of the license again with
 * the same key up to the new end, and marks the old one superseded (it is
 * left to expire, not revoked: same key, same license). Safe to run twice:
 * a certificate already reaching the license's end is left alone.
 */
export async function reissueCertificatesForRenewal(licenseId: string, now = new Date()) {
  const [ca, signingKey, x509] = await Promise.all([getIssuingCa(), getLicenseSigningKey(), loadX509()]);
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "License" WHERE "id" = ${licenseId} FOR UPDATE`;
    const license = await tx.license.findUniqueOrThrow({ where: { id: licenseId } });
    if (licenseState(license, now) !== "active" || !license.validFrom || !license.validUntil) return [];
    const current = await tx.licenseCertificate.findMany({
      where: { licenseId, status: "GOOD", supersededAt: null, notAfter: { gt: now, lt: license.validUntil } },
    });
    const theater = await tx.organization.findUniqueOrThrow({
      where: { id: license.theaterOrgId },
      select: { id: true, slug: true, name: true },
    });
    const plan = await tx.licensePlan.findUniqueOrThrow({
      where: { id: license.planId },
      select: { id: true, name: true },
    });
    const made = [];
    for (const old of current) {
      const spkiDer = new x509.X509Certificate(old.certificatePem).publicKey.rawData;
      await tx.licenseCertificate.update({ where: { id: old.id }, data: { supersededAt: now } });
      const cert = await mintLicenseCertificate(tx, {
        license: { ...license, validFrom: license.validFrom, validUntil: license.validUntil },
        theater,
        plan,
        key: { spkiDer, keyAlgorithm: old.keyAlgorithm, keySha256: old.keySha256 },
        ca,
        signingKey,
        now,
        createdById: null,
      });
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "renewal" },
        action: "license_certificate.renewed",
        subject: { type: "license", id: licenseId },
        state: {
          certificateId: cert.id,
          serialHex: cert.serialHex,
          keySha256: cert.keySha256,
          notAfter: cert.notAfter,
        },
        data: { certificateId: cert.id, replaces: old.id, notAfter: cert.notAfter.toISOString() },
      });
      made.push(cert);
    }
    return made;
  });
}

/** The outbox effect a renewal enqueues: the certificates are issued again after its commit. */
export const reissueCertificatesEffect = defineEffect({
  kind: "license.reissue_certificates",
  schema: z.object({ licenseId: z.string() }),
  async handle(payload) {
    await reissueCertificatesForRenewal(payload.licenseId);
  },
});
