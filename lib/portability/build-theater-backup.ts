import "server-only";
import { CompactSign } from "jose";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { assertTheaterAdmin } from "@/lib/licensing/license-actor";
import type { UserActor } from "@/lib/access/actor";
import { issueReceipt } from "@/lib/payments/receipts/issue-receipt";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";
import {
  THEATER_BACKUP_FORMAT,
  THEATER_BACKUP_TYP,
  THEATER_BACKUP_VERSION,
  theaterBackupBodySchema,
  theaterBackupFileSchema,
  type TheaterBackupBody,
  type TheaterBackupFile,
} from "@/lib/portability/theater-backup-schema";
import { readTheaterRecords } from "@/lib/portability/read-theater-records";
import { theaterBackupRecordHashes } from "@/lib/portability/theater-backup-record-hashes";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";

/**
 * A theater's signed backup, for its admin (signed in, or the management
 * client's API token of that theater). Paid orders get their receipts first;
 * then everything is read in one repeatable-read transaction (one consistent
 * snapshot), parsed by the published schema, each record hashed, and the
 * body's and the record hashes' digests signed with the export key.
 * The download is recorded in the audit history (who took the theater's
 * records, and which digest).
 */
export async function buildTheaterBackup(input: {
  theaterOrgId: string;
  actor: UserActor;
}): Promise<TheaterBackupFile> {
  await db().$transaction((tx) => assertTheaterAdmin(tx, input.actor, input.theaterOrgId));
  const paidWithout = await db().paymentOrder.findMany({
    where: {
      theaterOrgId: input.theaterOrgId,
      status: "paid",
      NOT: { id: { in: await receiptOrderIds(input.theaterOrgId) } },
    },
    select: { id: true },
  });
  for (const order of paidWithout) await issueReceipt(order.id);
  const key = await getActiveSigningKey("export");
  const [exportKeys, licenseKeys, receiptKeys] = await Promise.all([
    getPublicJwks(["export"]),
    getPublicJwks(["license"]),
    getPublicJwks(["receipt"]),
  ]);
  const exportedAt = new Date().toISOString();
  const records = await db().$transaction((tx) => readTheaterRecords(tx, input.theaterOrgId), {
    isolationLevel: "RepeatableRead",
  });
  const backup: TheaterBackupBody = theaterBackupBodySchema.parse({
    format: THEATER_BACKUP_FORMAT,
    v: THEATER_BACKUP_VERSION,
    $schema: `${env().publicUrl}/schemas/theater-backup-v${THEATER_BACKUP_VERSION}.json`,
    origin: { issuer: env().publicUrl, exportedAt },
    keys: { export: exportKeys, license: licenseKeys, receipt: receiptKeys },
    ...records,
  });
  const digest = canonicalSha256(backup);
  // Beside the body's digest, one of its records' hashes: an importer names the record a changed byte is in.
  const recordHashes = theaterBackupRecordHashes(backup);
  const claims = {
    digest,
    recordHashes: canonicalSha256(recordHashes),
    theater: backup.theater.id,
    issuer: backup.origin.issuer,
    exportedAt,
  };
  const signature = await new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: THEATER_BACKUP_TYP })
    .sign(key.privateKey);
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      actor: { type: "user", id: input.actor.id },
      action: "theater.backup_exported",
      subject: { type: "organization", id: input.theaterOrgId },
      state: { digest },
      data: { digest, via: input.actor.token ? "api_token" : "session" },
    }),
  );
  return theaterBackupFileSchema.parse({ backup, recordHashes, signature });
}

async function receiptOrderIds(theaterOrgId: string) {
  return (await db().receipt.findMany({ where: { theaterOrgId }, select: { orderId: true } })).map((r) => r.orderId);
}
