import type { Tx } from "@/lib/db/client";
import { publishCrl } from "@/lib/licensing/publish-crl";

type RetiredRow = { id: string; keySha256: string; issuerId: string; revoked: boolean };

/**
 * Retires a license's current certificates before a new one is issued.
 * Those of the same key are marked superseded and left to expire (the
 * theater's key is unchanged, so nothing is gained by revoking them and a
 * client that has not fetched the new one yet keeps working); those of
 * another key are revoked as superseded and the CRL is re-signed, because
 * re-keying often follows a suspected leak. One UPDATE … RETURNING does both
 * (a statement of its own, so it sees certificates committed while the caller
 * waited for the license lock).
 */
export async function retireCurrentCertificates(tx: Tx, opts: { licenseId: string; keepKeySha256: string | null; now: Date }) {
  // keySha256 = NULL is never true, so a null keepKeySha256 revokes them all.
  const rows = await tx.$queryRaw<RetiredRow[]>`
    UPDATE "LicenseCertificate" SET
      "supersededAt" = ${opts.now},
      "status" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "status" ELSE 'REVOKED'::"CertificateStatus" END,
      "revokedAt" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "revokedAt" ELSE ${opts.now} END,
      "revocationReason" = CASE WHEN "keySha256" = ${opts.keepKeySha256} THEN "revocationReason" ELSE 'superseded' END
    WHERE "licenseId" = ${opts.licenseId} AND "status" = 'GOOD' AND "supersededAt" IS NULL AND "notAfter" > ${opts.now}
    RETURNING "id", "keySha256", "issuerId", ("status" = 'REVOKED') AS "revoked"`;
  const sameKey = rows.filter((c) => !c.revoked);
  const otherKey = rows.filter((c) => c.revoked);
  for (const issuerId of new Set(otherKey.map((c) => c.issuerId))) await publishCrl(tx, issuerId, opts.now);
  return { superseded: sameKey.map((c) => c.id), revoked: otherKey.map((c) => c.id) };
}
