import "server-only";
import { db } from "@/lib/db/client";
import { publishCrl } from "@/lib/licensing/publish-crl";
import { CRL_REFRESH_AFTER_HOURS } from "@/lib/licensing/ca-algorithms";

/**
 * The newest CRL of an intermediate, re-signed here once half its life has
 * passed, so hosts always find one well before its nextUpdate without a cron
 * job (`ca crl refresh` does the same from the CLI). Null for an unknown CA.
 * A fork's predecessor intermediate is signed for by the fork's CRL signer of its name, made by `ca init`
 * (lib/licensing/cross-sign-predecessors.ts); before that its last CRL, as its origin signed it, is served as is.
 */
export async function getCurrentCrl(caId: string, now = new Date()) {
  const ca = await db().certificateAuthority.findUnique({ where: { id: caId }, select: { kind: true } });
  if (ca?.kind !== "intermediate" && ca?.kind !== "predecessor_intermediate") return null;
  const latest = await db().certificateRevocationList.findFirst({
    where: { issuerId: caId },
    orderBy: { crlNumber: "desc" },
  });
  if (latest && now.getTime() - latest.thisUpdate.getTime() < CRL_REFRESH_AFTER_HOURS * 3_600_000) return latest;
  const made = await db().$transaction((tx) => publishCrl(tx, caId, now));
  return made ? { ...made, issuerId: caId } : latest;
}

/** Re-signs the CRL of every intermediate in force (a fork's origin's too, once it has a CRL signer). */
export async function refreshAllCrls(now = new Date()) {
  const cas = await db().certificateAuthority.findMany({
    where: { kind: { in: ["intermediate", "predecessor_intermediate"] }, notAfter: { gt: now } },
    select: { id: true },
  });
  const out = [];
  for (const { id } of cas) {
    const made = await db().$transaction((tx) => publishCrl(tx, id, now));
    if (made) out.push({ caId: id, ...made });
  }
  return out;
}
