import "server-only";
import crypto from "node:crypto";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { z } from "zod";
import { LICENSE_DOCUMENT_TYP, licenseDocumentClaimsSchema } from "@/lib/licensing/license-document";
import { AppError } from "@/lib/errors/app-error";
import { refuseImport, verifyExportSignature } from "@/lib/portability/verify-export-signature";
import { verifyReceipt } from "@/lib/payments/receipts/verify-receipt";
import {
  THEATER_BACKUP_FORMAT,
  THEATER_BACKUP_TYP,
  THEATER_BACKUP_VERSION,
  theaterBackupFileSchema,
  theaterBackupFileSchemaV1,
  type TheaterBackupBody,
} from "@/lib/portability/theater-backup-schema";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";
import { nameChangedBackupRecords } from "@/lib/portability/name-changed-backup-records";

const refuse = refuseImport;

const signatureClaimsSchemaV1 = z.object({
  digest: z.string(),
  theater: z.string(),
  issuer: z.string(),
  exportedAt: z.string(),
});
const signatureClaimsSchema = signatureClaimsSchemaV1.extend({ recordHashes: z.string() });

/**
 * Checks a theater backup before anything of it is written, and answers its
 * body. Throws UNPROCESSABLE naming the file's part and record. Checks, in
 * order:
 * - it is a theater backup of a version this Guildhall reads (a newer one is
 *   refused, not guessed at), in the published schema's shape;
 * - its signature: typ, a kid of the export keys the importer trusts (given
 *   out of band, never taken from the file), the signature itself, and that
 *   it covers this body's digest (one changed byte shows) and this theater;
 *   in version 2 also its record hashes' digest, and a changed byte is named
 *   by its record, or its entry of the record hashes (name-changed-backup-records.ts);
 * - the keys inside include the one that signed: the body vouches for the
 *   license and receipt keys, and the CA chain, that the next checks use;
 * - the CA chain: each CA certificate is signed by its parent, the root by itself;
 * - each certificate: signed by its issuing CA, with the serial it claims;
 * - each license document: signed by a license key of the body, naming its
 *   license, theater and the certificate it was issued with;
 * - each receipt: signed by a receipt key of the body, naming its order, amount and theater;
 * - every ticket sale, refund and adjustment names an order of the backup.
 */
export async function verifyTheaterBackup(file: unknown, trustedExportKeys: JSONWebKeySet): Promise<TheaterBackupBody> {
  const raw = file as { backup?: { format?: unknown; v?: unknown } } | null;
  if (raw?.backup?.format !== THEATER_BACKUP_FORMAT)
    throw refuse("the file", `it is not a ${THEATER_BACKUP_FORMAT}`, "BACKUP_NOT_A_BACKUP");
  if (typeof raw.backup.v !== "number" || raw.backup.v > THEATER_BACKUP_VERSION)
    throw refuse(
      "the file",
      `it is format version ${String(raw.backup.v)}; this Guildhall reads version ${THEATER_BACKUP_VERSION} and older`,
      "BACKUP_VERSION_UNSUPPORTED",
    );
  if (raw.backup.v === 1) return verifyVersion1(file, trustedExportKeys);
  const { backup, recordHashes, signature } = parseOrRefuse(theaterBackupFileSchema, file);
  const { claims, kid } = await verifyExportSignature({
    signature,
    typ: THEATER_BACKUP_TYP,
    trusted: trustedExportKeys,
    claimsSchema: signatureClaimsSchema,
    reasonPrefix: "BACKUP",
    signedPart: "backup",
  });
  if (claims.digest !== canonicalSha256(backup) || claims.recordHashes !== canonicalSha256(recordHashes))
    throw nameChangedBackupRecords({ backup, recordHashes, signed: claims });
  checkSignedFor(claims, kid, backup);
  await checkRecords(backup);
  return backup;
}

/**
 * A version 1 backup (before record hashes) still imports: its signature covers one digest of the whole body,
 * so a body that differs from it names the file, or the record an inner check finds broken (changedRecord).
 */
async function verifyVersion1(file: unknown, trustedExportKeys: JSONWebKeySet): Promise<TheaterBackupBody> {
  const { backup, signature } = parseOrRefuse(theaterBackupFileSchemaV1, file);
  try {
    const { claims, kid } = await verifyExportSignature({
      signature,
      typ: THEATER_BACKUP_TYP,
      trusted: trustedExportKeys,
      claimsSchema: signatureClaimsSchemaV1,
      expectedDigest: canonicalSha256(backup),
      reasonPrefix: "BACKUP",
      signedPart: "backup",
    });
    checkSignedFor(claims, kid, backup);
  } catch (e) {
    if (e instanceof AppError && e.reason === "BACKUP_TAMPERED") throw (await changedRecord(backup)) ?? e;
    throw e;
  }
  await checkRecords(backup);
  return backup;
}

function parseOrRefuse<T extends z.ZodType>(schema: T, file: unknown): z.infer<T> {
  const parsed = schema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(issue.path.join("."), issue.message, "BACKUP_MALFORMED");
  }
  return parsed.data;
}

async function checkRecords(backup: TheaterBackupBody) {
  checkCaChain(backup);
  await checkLicenses(backup);
  await checkReceipts(backup);
  checkReferences(backup);
}

/**
 * A version 1 body that differs from what its signature covers names only the file: the signature covers one
 * digest of the whole body, not one per record (version 2 has them). Where the change broke a signature inside
 * it (a certificate, a license document, a receipt, which name their record's amount, order and theater) or a
 * reference, the records' own checks, run now on the unvouched body only to say where, name that record.
 */
async function changedRecord(backup: TheaterBackupBody): Promise<AppError | null> {
  try {
    await checkRecords(backup);
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) return null;
    return refuse(
      e.userMessage,
      "the backup differs there from what its signature covers: the file was changed",
      "BACKUP_TAMPERED",
    );
  }
}

/** The signature names this body's theater and origin, and the key that made it is among the body's export keys. */
function checkSignedFor(
  claims: z.infer<typeof signatureClaimsSchemaV1>,
  kid: string | undefined,
  backup: TheaterBackupBody,
) {
  if (claims.theater !== backup.theater.id || claims.issuer !== backup.origin.issuer)
    throw refuse("signature", "it names another theater or origin than the body", "BACKUP_TAMPERED");
  if (!backup.keys.export.keys.some((k) => k.kid === kid))
    throw refuse("backup.keys.export", "the key that signed is not among the body's export keys", "BACKUP_TAMPERED");
}

function checkCaChain(backup: TheaterBackupBody) {
  const byId = new Map(backup.certificateAuthorities.map((ca) => [ca.id, ca]));
  for (const ca of backup.certificateAuthorities) {
    const cert = new crypto.X509Certificate(ca.certificatePem);
    const parent = ca.parentId ? byId.get(ca.parentId) : ca;
    if (!parent)
      throw refuse(`certificateAuthorities ${ca.id}`, "its parent CA is not in the backup", "BACKUP_CHAIN_INVALID");
    if (!cert.verify(new crypto.X509Certificate(parent.certificatePem).publicKey))
      throw refuse(`certificateAuthorities ${ca.id}`, "it is not signed by its parent CA", "BACKUP_CHAIN_INVALID");
  }
}

async function checkLicenses(backup: TheaterBackupBody) {
  const cas = new Map(
    backup.certificateAuthorities.map((ca) => [ca.id, new crypto.X509Certificate(ca.certificatePem)]),
  );
  const licenseKeys = createLocalJWKSet(backup.keys.license as JSONWebKeySet);
  for (const license of backup.licenses)
    for (const c of license.certificates) {
      const where = `licenses ${license.id} certificate ${c.id}`;
      const issuer = cas.get(c.issuerId);
      const cert = new crypto.X509Certificate(c.certificatePem);
      if (!issuer || !cert.verify(issuer.publicKey))
        throw refuse(where, "it is not signed by a CA of the backup's chain", "BACKUP_CERTIFICATE_INVALID");
      if (cert.serialNumber.toLowerCase().replace(/^0+/, "") !== c.serialHex.toLowerCase().replace(/^0+/, ""))
        throw refuse(where, "its serial is not the one recorded", "BACKUP_CERTIFICATE_INVALID");
      try {
        if (decodeProtectedHeader(c.licenseDocument).typ !== LICENSE_DOCUMENT_TYP) throw new Error("typ");
        const { payload } = await compactVerify(c.licenseDocument, licenseKeys, { algorithms: ["EdDSA"] });
        const doc = licenseDocumentClaimsSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
        if (
          doc.license.id !== license.id ||
          doc.license.theater.id !== backup.theater.id ||
          doc.key.certificateSerial !== c.serialHex
        )
          throw new Error("names another license, theater or certificate");
      } catch (e) {
        const detail = e instanceof Error && e.message.startsWith("names") ? e.message : "it does not verify";
        throw refuse(`${where} licenseDocument`, detail, "BACKUP_LICENSE_DOCUMENT_INVALID");
      }
    }
}

async function checkReceipts(backup: TheaterBackupBody) {
  const keys = backup.keys.receipt as JSONWebKeySet;
  for (const order of backup.orders) {
    if (!order.receipt) continue;
    let claims: Awaited<ReturnType<typeof verifyReceipt>>;
    try {
      claims = await verifyReceipt(order.receipt, keys);
    } catch {
      throw refuse(
        `orders ${order.id} receipt`,
        "it does not verify with the backup's receipt keys",
        "BACKUP_RECEIPT_INVALID",
      );
    }
    if (
      claims.order !== order.id ||
      claims.price.amountMinor !== order.amountMinor ||
      claims.theater.id !== backup.theater.id
    )
      throw refuse(`orders ${order.id} receipt`, "it names another order, amount or theater", "BACKUP_RECEIPT_INVALID");
  }
}

function checkReferences(backup: TheaterBackupBody) {
  const orders = new Set(backup.orders.map((o) => o.id));
  const named = [
    ...backup.ticketSales.map((s) => ["ticketSales", s.orderId] as const),
    ...backup.refunds.map((r) => ["refunds", r.orderId] as const),
    ...backup.adjustments.map((a) => ["adjustments", a.orderId] as const),
    ...backup.licenses.flatMap((l) => l.orders.map((o) => [`licenses ${l.id} orders`, o.orderId] as const)),
  ];
  for (const [part, orderId] of named)
    if (!orders.has(orderId))
      throw refuse(`${part} ${orderId}`, "it names an order the backup does not hold", "BACKUP_INCONSISTENT");
}
