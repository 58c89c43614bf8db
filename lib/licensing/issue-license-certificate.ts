import "server-only";
import { db, Prisma, type Tx } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getLicenseSigningKey } from "@/lib/licensing/get-license-signing-key";
import { parseCertificateRequest } from "@/lib/licensing/parse-certificate-request";
import { getIssuingCa } from "@/lib/licensing/get-issuing-ca";
import { buildLicenseCertificate } from "@/lib/licensing/mint-license-certificate";
import { replaceCurrentCertificates } from "@/lib/licensing/retire-current-certificates";
import { licenseState } from "@/lib/licensing/license-state";
import { assertTheaterAdminRole } from "@/lib/licensing/license-actor";
import type { UserActor } from "@/lib/access/actor";
import { auditActorOf } from "@/lib/access/actor";
import { chainPemOf } from "@/lib/licensing/get-license-bundle";
import type { LicenseStatus } from "@/lib/generated/prisma/client";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";

type LockedLicense = {
  id: string;
  theaterOrgId: string;
  planId: string;
  status: LicenseStatus;
  entitlements: unknown;
  validFrom: Date | null;
  validUntil: Date | null;
  planName: string;
  theaterSlug: string;
  theaterName: string;
  /** The actor's role in the theater, null when not a member. */
  actorRole: string | null;
};

/**
 * The license with what its certificate says about it, and the actor's role in its theater (none for a disabled
 * account: its API token may have been authenticated a moment before), in one round trip; locked when `lock`.
 */
async function readLicenseForIssuance(
  client: Tx,
  opts: { licenseId: string; actorId: string; lock: boolean },
): Promise<LockedLicense | undefined> {
  const [license] = await client.$queryRaw<LockedLicense[]>`
    SELECT l."id", l."theaterOrgId", l."planId", l."status"::text AS "status", l."entitlements", l."validFrom", l."validUntil",
           p."name" AS "planName", o."slug" AS "theaterSlug", o."name" AS "theaterName", m."role"::text AS "actorRole"
    FROM "License" l JOIN "LicensePlan" p ON p."id" = l."planId" JOIN "Organization" o ON o."id" = l."theaterOrgId"
      LEFT JOIN "Membership" m ON m."orgId" = l."theaterOrgId" AND m."userId" = ${opts.actorId}
        AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = m."userId" AND u."disabledAt" IS NULL)
    WHERE l."id" = ${opts.licenseId}
    ${opts.lock ? Prisma.sql`FOR UPDATE OF l` : Prisma.empty}`;
  return license;
}

/**
 * Refuses unless the license exists (404 LICENSE_NOT_FOUND), the actor administers its theater (403
 * NOT_THEATER_ADMIN) and it is paid, current and in good standing (409 LICENSE_NOT_PAID, LICENSE_EXPIRED,
 * LICENSE_SUSPENDED, LICENSE_REVOKED); answers it with its term.
 */
function assertIssuable(license: LockedLicense | undefined, actor: UserActor, now: Date) {
  if (!license) throw new AppError("NOT_FOUND", { reason: "LICENSE_NOT_FOUND", userMessage: "No such license." });
  assertTheaterAdminRole(actor, license.theaterOrgId, license.actorRole);
  const state = licenseState(license, now);
  if (state !== "active" || !license.validFrom || !license.validUntil) {
    throw new AppError("CONFLICT", {
      reason:
        state === "pending_payment"
          ? "LICENSE_NOT_PAID"
          : (`LICENSE_${state.toUpperCase() as Uppercase<typeof state>}` as const),
      userMessage: `The license is ${state.replace("_", " ")}; no certificate can be issued for it.`,
    });
  }
  return { ...license, validFrom: license.validFrom, validUntil: license.validUntil };
}

/**
 * Certifies a theater's key for one of its licenses. Checks, in order: the
 * request itself (see parseCertificateRequest: 422 CSR_MALFORMED,
 * CSR_SIGNATURE_INVALID, KEY_TYPE_FORBIDDEN, KEY_TOO_SMALL); the license and
 * the actor (assertIssuable: 404, 403, 409), before anything else is read or
 * made, so a refused caller neither learns whether the CA is set up nor makes
 * the license signing key on a fresh install; the CA is set up (503
 * CA_NOT_INITIALIZED). Then, in one transaction, the license is locked and
 * checked again, the previous certificates are retired (re-keying
 * revokes them as superseded and re-signs the CRL), the new certificate and
 * license document are stored, and the issuance is audited. A refusal issues
 * nothing and is logged.
 */
export async function issueLicenseCertificate(input: {
  licenseId: string;
  csrPem: string;
  actor: UserActor;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const read = { licenseId: input.licenseId, actorId: input.actor.id };
  try {
    // The read only reads, so it overlaps the request's checks; their refusal still comes first.
    const [key, unlocked] = await Promise.all([
      parseCertificateRequest(input.csrPem),
      readLicenseForIssuance(db(), { ...read, lock: false }),
    ]);
    assertIssuable(unlocked, input.actor, now);
    // The CA first: on a fresh install it refuses (503) before the license signing key is made on first use.
    const ca = await getIssuingCa();
    const signingKey = await getLicenseSigningKey();
    const issued = await db().$transaction(async (tx) => {
      // Checked again under the lock: the license may have been suspended or the membership ended since.
      const license = assertIssuable(await readLicenseForIssuance(tx, { ...read, lock: true }), input.actor, now);
      const minted = await buildLicenseCertificate({
        license,
        theater: { id: license.theaterOrgId, slug: license.theaterSlug, name: license.theaterName },
        plan: { id: license.planId, name: license.planName },
        key,
        ca,
        signingKey,
        now,
        createdById: input.actor.id,
      });
      // The previous certificates are retired and the new one stored in one statement; the audit append comes last.
      const { certificate, retired } = await replaceCurrentCertificates(
        tx,
        { licenseId: license.id, keepKeySha256: key.keySha256, now },
        minted,
      );
      await appendAuditEvent(tx, {
        actor: auditActorOf(input.actor),
        action: "license_certificate.issued",
        subject: { type: "license", id: license.id },
        state: {
          certificateId: certificate.id,
          serialHex: certificate.serialHex,
          keySha256: key.keySha256,
          notAfter: certificate.notAfter,
        },
        data: {
          certificateId: certificate.id,
          serialHex: certificate.serialHex,
          keyAlgorithm: key.keyAlgorithm,
          rekeyed: retired.revoked.length > 0,
          superseded: retired.superseded.length,
        },
      });
      // Re-keying revoked the certificates of the old key (superseded): hosts stop accepting them now.
      for (const revoked of retired.revokedCertificates)
        await emitWebhookEvent(tx, {
          type: "certificate.revoked",
          orgId: license.theaterOrgId,
          toHosts: true,
          data: {
            licenseId: license.id,
            theaterOrgId: license.theaterOrgId,
            certificateId: revoked.id,
            serialHex: revoked.serialHex,
            revocationReason: "superseded",
          },
        });
      return certificate;
    });
    return { certificate: issued, chainPem: chainPemOf(ca) };
  } catch (e) {
    if (isAppError(e) && e.statusCode < 500) {
      log.warn(
        {
          licenseId: input.licenseId,
          userId: input.actor.id,
          tokenId: input.actor.token?.id,
          errorCode: e.code,
          reason: e.reason,
        },
        "certificate request refused",
      );
    }
    throw e;
  }
}
