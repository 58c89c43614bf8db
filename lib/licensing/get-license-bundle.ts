import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { IssuingCa } from "@/lib/licensing/get-issuing-ca";
import { getCaOrThrow } from "@/lib/licensing/get-issuing-ca";
import { assertTheaterAdmin } from "@/lib/licensing/license-actor";
import type { UserActor } from "@/lib/access/actor";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";

/** The chain a client presents after its own certificate: the intermediate, then the root. */
export function chainPemOf(ca: Pick<IssuingCa, "certificatePem" | "rootPem">): string {
  return `${ca.certificatePem.trim()}\n${ca.rootPem.trim()}\n`;
}

/**
 * What a theater admin downloads for a license: the newest certificate, the
 * chain, the license document issued with it, and the log receipt of their
 * issuance (its entry and, once integrated, its inclusion proof: docs/LOG.md).
 */
export async function getLicenseBundle(input: { licenseId: string; actor: UserActor }) {
  const license = await db().license.findUnique({ where: { id: input.licenseId }, select: { theaterOrgId: true } });
  if (!license) throw new AppError("NOT_FOUND", { reason: "LICENSE_NOT_FOUND", userMessage: "No such license." });
  await assertTheaterAdmin(db(), input.actor, license.theaterOrgId);
  const certificate = await db().licenseCertificate.findFirst({
    where: { licenseId: input.licenseId },
    orderBy: { createdAt: "desc" },
  });
  if (!certificate)
    throw new AppError("NOT_FOUND", {
      reason: "NO_CERTIFICATE",
      userMessage: "No certificate has been issued for this license yet.",
    });
  const ca = await getCaOrThrow(certificate.issuerId);
  return {
    certificateId: certificate.id,
    serialHex: certificate.serialHex,
    status: certificate.status,
    notAfter: certificate.notAfter,
    certificatePem: certificate.certificatePem,
    chainPem: chainPemOf(ca),
    licenseDocument: certificate.licenseDocument,
    log: await findLogReceiptIfAny({ kind: "certificate", id: certificate.id }),
  };
}
