import "server-only";
import { Prisma, type Tx } from "@/lib/db/client";
import type { LicenseCertificate } from "@/lib/generated/prisma/client";
import { publishCrl } from "@/lib/licensing/publish-crl";
import type { MintedCertificate } from "@/lib/licensing/mint-license-certificate";

type RetireOptions = { licenseId: string; keepKeySha256: string | null; now: Date };
type RetiredRow = { id: string; serialHex: string; keySha256: string; issuerId: string; revoked: boolean };

/**
 * Those of the same key are superseded, the others revoked as superseded, in
 * one UPDATE. keySha256 = NULL is never true, so a null keepKeySha256 revokes them all.
 */
function retireStatement(opts: RetireOptions): Prisma.Sql {
  return Prisma.sql`
    UPDATE "LicenseCertificate" SET
      "supersededAt" = ${opts.now},
      "status" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "status" ELSE 'REVOKED'::"CertificateStatus" END,
      "revokedAt" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "revokedAt" ELSE ${opts.now} END,
      "revocationReason" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "revocationReason" ELSE 'superseded' END
    WHERE "licenseId" = ${opts.licenseId} AND "status" = 'GOOD' AND "supersededAt" IS NULL AND "notAfter" > ${opts.now}
    RETURNING "id", "serialHex", "keySha256", "issuerId", ("status" = 'REVOKED') AS "revoked"`;
}

async function afterRetiring(tx: Tx, rows: RetiredRow[], now: Date) {
  const sameKey = rows.filter((c) => !c.revoked);
  const otherKey = rows.filter((c) => c.revoked);
  for (const issuerId of new Set(otherKey.map((c) => c.issuerId))) await publishCrl(tx, issuerId, now);
  return {
    superseded: sameKey.map((c) => c.id),
    revoked: otherKey.map((c) => c.id),
    revokedCertificates: otherKey.map((c) => ({ id: c.id, serialHex: c.serialHex })),
  };
}

/**
 * Retires a license's current certificates and stores the new one. Those of
 * the same key are marked superseded and left to expire (the theater's key is
 * unchanged, so nothing is gained by revoking them and a client that has not
 * fetched the new one yet keeps working); those of another key are revoked as
 * superseded and the CRL is re-signed, because re-keying often follows a
 * suspected leak. Run after the license is locked, as a statement of its own,
 * so it sees certificates committed while the caller waited for the lock.
 * Retiring and inserting are one statement (one round trip per issuance);
 * both parts read the same snapshot, so the UPDATE cannot touch the new row.
 */
export async function replaceCurrentCertificates(tx: Tx, opts: RetireOptions, c: MintedCertificate) {
  const [row] = await tx.$queryRaw<(LicenseCertificate & { retired: RetiredRow[] })[]>`
    WITH retired AS (${retireStatement(opts)}),
    stored AS (
      INSERT INTO "LicenseCertificate" ("id", "licenseId", "issuerId", "serialHex", "keyAlgorithm", "keySha256", "certificatePem", "licenseDocument", "notBefore", "notAfter", "createdById")
      VALUES (${c.id}, ${c.licenseId}, ${c.issuerId}, ${c.serialHex}, ${c.keyAlgorithm}, ${c.keySha256}, ${c.certificatePem}, ${c.licenseDocument}, ${c.notBefore}, ${c.notAfter}, ${c.createdById})
      RETURNING *
    )
    SELECT s."id", s."licenseId", s."issuerId", s."serialHex", s."keyAlgorithm", s."keySha256", s."certificatePem", s."licenseDocument",
           s."notBefore", s."notAfter", s."status"::text AS "status", s."revokedAt", s."revocationReason", s."supersededAt", s."createdById", s."createdAt",
           (SELECT COALESCE(json_agg(json_build_object('id', r."id", 'serialHex', r."serialHex", 'keySha256', r."keySha256", 'issuerId', r."issuerId", 'revoked', r."revoked")), '[]'::json) FROM retired r) AS "retired"
    FROM stored s`;
  const { retired, ...certificate } = row;
  return { certificate: certificate as LicenseCertificate, retired: await afterRetiring(tx, retired, opts.now) };
}
