import type { Tx } from "@/lib/db/client";
import { publishCrl } from "@/lib/licensing/publish-crl";

/**
 * Retires a license's current certificates before a new one is issued.
 * Those of the same key are marked superseded and left to expire (the
 * theater's key is unchanged, so nothing is gained by revoking them and a
 * client that has not fetched the new one yet keeps working); those of
 * another key are revoked as superseded and the CRL is re-signed, because
 * re-keying often follows a suspected leak.
 */
export async function retireCurrentCertificates(tx: Tx, opts: { licenseId: string; keepKeySha256: string | null; now: Date }) {
  const current = await tx.licenseCertificate.findMany({
    where: { licenseId: opts.licenseId, status: "GOOD", supersededAt: null, notAfter: { gt: opts.now } },
    select: { id: true, keySha256: true, issuerId: true },
  });
  const sameKey = current.filter((c) => c.keySha256 === opts.keepKeySha256);
  const otherKey = current.filter((c) => c.keySha256 !== opts.keepKeySha256);
  if (sameKey.length) {
    await tx.licenseCertificate.updateMany({ where: { id: { in: sameKey.map((c) => c.id) } }, data: { supersededAt: opts.now } });
  }
  if (otherKey.length) {
    await tx.licenseCertificate.updateMany({
      where: { id: { in: otherKey.map((c) => c.id) } },
      data: { supersededAt: opts.now, status: "REVOKED", revokedAt: opts.now, revocationReason: "superseded" },
    });
    for (const issuerId of new Set(otherKey.map((c) => c.issuerId))) await publishCrl(tx, issuerId, opts.now);
  }
  return { superseded: sameKey.map((c) => c.id), revoked: otherKey.map((c) => c.id) };
}
