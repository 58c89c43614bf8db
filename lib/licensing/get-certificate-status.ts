import "server-only";
import { db } from "@/lib/db/client";
import { normalizeSerial } from "@/lib/licensing/certificate-facts";
import { licenseState } from "@/lib/licensing/license-state";

export type CertificateStatusAnswer = {
  serial: string;
  status: "good" | "held" | "revoked" | "unknown";
  reason: string | null;
  revokedAt: string | null;
  notAfter: string | null;
  superseded: boolean;
  licenseId: string | null;
  licenseState: string | null;
  crl: { number: number; thisUpdate: string; nextUpdate: string } | null;
};

/**
 * The JSON status of one certificate, read from the same rows the CRL is
 * signed from (they change in one transaction), with the number of the CRL
 * that already carries this state.
 */
export async function getCertificateStatus(serial: string, now = new Date()): Promise<CertificateStatusAnswer> {
  const serialHex = /^[0-9a-fA-F]{1,64}$/.test(serial) ? normalizeSerial(serial) : "";
  const cert = serialHex
    ? await db().licenseCertificate.findUnique({
        where: { serialHex },
        include: { license: { select: { id: true, status: true, validUntil: true } } },
      })
    : null;
  if (!cert)
    return {
      serial: serialHex || serial.slice(0, 64),
      status: "unknown",
      reason: null,
      revokedAt: null,
      notAfter: null,
      superseded: false,
      licenseId: null,
      licenseState: null,
      crl: null,
    };
  const crl = await db().certificateRevocationList.findFirst({
    where: { issuerId: cert.issuerId },
    orderBy: { crlNumber: "desc" },
    select: { crlNumber: true, thisUpdate: true, nextUpdate: true },
  });
  return {
    serial: cert.serialHex,
    status: cert.status === "GOOD" ? "good" : cert.status === "HELD" ? "held" : "revoked",
    reason: cert.revocationReason,
    revokedAt: cert.revokedAt?.toISOString() ?? null,
    notAfter: cert.notAfter.toISOString(),
    superseded: cert.supersededAt !== null,
    licenseId: cert.license.id,
    licenseState: licenseState(cert.license, now),
    crl: crl
      ? { number: crl.crlNumber, thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate.toISOString() }
      : null,
  };
}
