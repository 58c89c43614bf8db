import "server-only";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { publishCrl } from "@/lib/licensing/publish-crl";
import type { LicenseStatus } from "@/lib/generated/prisma/client";
import type { RevocationReason } from "@/lib/licensing/revocation-reasons";
import { mailTheaterLicenseStanding } from "@/lib/licensing/mail-theater-license-standing";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";

export type StandingChange =
  | { to: "SUSPENDED"; reason: string }
  | { to: "ACTIVE"; reason: string } // reinstatement
  | { to: "REVOKED"; reason: string; revocationReason: RevocationReason };

const allowedFrom: Record<StandingChange["to"], LicenseStatus[]> = {
  SUSPENDED: ["ACTIVE"],
  ACTIVE: ["SUSPENDED"],
  REVOKED: ["ACTIVE", "SUSPENDED", "PENDING_PAYMENT"],
};

/**
 * The one transaction behind suspend, reinstate and revoke: the license's
 * status, its unexpired certificates' status (hold, release, revoke), the
 * re-signed CRL of every issuer concerned, and the audit event commit
 * together, so the CRL and the JSON status endpoint never disagree with the
 * license; the theater's admins are mailed in it too. The caller has checked
 * the role (ORG_ADMIN or FINANCE).
 */
export async function changeLicenseStanding({
  licenseId,
  change,
  actor,
  now = new Date(),
}: {
  licenseId: string;
  change: StandingChange;
  actor: Actor;
  now?: Date;
}) {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "License" WHERE "id" = ${licenseId} FOR UPDATE`;
    const license = await tx.license.findUnique({ where: { id: licenseId } });
    if (!license) throw new AppError("NOT_FOUND", { reason: "LICENSE_NOT_FOUND", userMessage: "No such license." });
    if (!allowedFrom[change.to].includes(license.status)) {
      throw new AppError("CONFLICT", {
        reason: `LICENSE_${license.status}` as const,
        userMessage: `A ${license.status.toLowerCase().replace("_", " ")} license cannot become ${change.to.toLowerCase()}.`,
      });
    }
    await tx.license.update({ where: { id: licenseId }, data: { status: change.to, statusReason: change.reason } });
    // This process's cached standing (trust mark status) goes at once; others' at the trigger's notification.
    invalidateLocalCaches();
    const certs = await updateCertificates(tx, licenseId, change, now);
    for (const issuerId of new Set(certs.map((c) => c.issuerId))) {
      await publishCrl(tx, issuerId, now);
    }
    const action =
      change.to === "SUSPENDED"
        ? "license.suspended"
        : change.to === "ACTIVE"
          ? "license.reinstated"
          : "license.revoked";
    await appendAuditEvent(tx, {
      actor,
      action,
      subject: { type: "license", id: licenseId },
      state: { status: change.to, statusReason: change.reason },
      data: {
        reason: change.reason,
        from: license.status,
        ...(change.to === "REVOKED" ? { revocationReason: change.revocationReason } : {}),
      },
    });
    await emitStandingEvents(tx, license, change, certs);
    await mailTheaterLicenseStanding(tx, license, change);
    return tx.license.findUniqueOrThrow({ where: { id: licenseId } });
  });
}

/**
 * Tells the theater's and every host's webhook subscriptions: the license's
 * new standing and, on a revocation, each certificate revoked with it (a
 * suspension only holds them). The free-text reason stays in the audit
 * chain; the event carries codes only.
 */
async function emitStandingEvents(
  tx: Tx,
  license: { id: string; theaterOrgId: string },
  change: StandingChange,
  certs: { id: string; serialHex: string }[],
) {
  const about = { licenseId: license.id, theaterOrgId: license.theaterOrgId };
  const type =
    change.to === "SUSPENDED" ? "license.suspended" : change.to === "ACTIVE" ? "license.reinstated" : "license.revoked";
  await emitWebhookEvent(tx, {
    type,
    orgId: license.theaterOrgId,
    toHosts: true,
    data: { ...about, ...(change.to === "REVOKED" ? { revocationReason: change.revocationReason } : {}) },
  });
  if (change.to !== "REVOKED") return;
  for (const c of certs)
    await emitWebhookEvent(tx, {
      type: "certificate.revoked",
      orgId: license.theaterOrgId,
      toHosts: true,
      data: { ...about, certificateId: c.id, serialHex: c.serialHex, revocationReason: change.revocationReason },
    });
}

/** Moves the license's unexpired certificates along and returns them (their issuers' CRLs changed). */
async function updateCertificates(tx: Tx, licenseId: string, change: StandingChange, now: Date) {
  const live = { licenseId, notAfter: { gt: now } };
  const where =
    change.to === "SUSPENDED"
      ? { ...live, status: "GOOD" as const }
      : change.to === "ACTIVE"
        ? { ...live, status: "HELD" as const }
        : { ...live, status: { in: ["GOOD" as const, "HELD" as const] } };
  const certs = await tx.licenseCertificate.findMany({ where, select: { id: true, issuerId: true, serialHex: true } });
  if (certs.length === 0) return certs;
  const data =
    change.to === "SUSPENDED"
      ? { status: "HELD" as const, revokedAt: now, revocationReason: "certificateHold" }
      : change.to === "ACTIVE"
        ? { status: "GOOD" as const, revokedAt: null, revocationReason: null }
        : { status: "REVOKED" as const, revokedAt: now, revocationReason: change.revocationReason };
  await tx.licenseCertificate.updateMany({ where: { id: { in: certs.map((c) => c.id) } }, data });
  return certs;
}
