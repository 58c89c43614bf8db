import "server-only";
import { db } from "@/lib/db/client";
import { publishCrl } from "@/lib/licensing/publish-crl";
import { CRL_REFRESH_AFTER_HOURS } from "@/lib/licensing/ca-algorithms";

/**
 * The newest CRL of an intermediate, re-signed here once half its life has
 * passed, so hosts always find one well before its nextUpdate without a cron
 * job (`ca crl refresh` does the same from the CLI). Null for an unknown CA.
 * A fork's predecessor intermediate has no key here: its last CRL, as its origin signed it, is served as is.
 */
export async function getCurrentCrl(caId: string, now = new Date()) {
  const ca = await db().certificateAuthority.findUnique({ where: { id: caId }, select: { kind: true } });
  if (ca?.kind !== "intermediate" && ca?.kind !== "predecessor_intermediate") return null;
  const latest = await db().certificateRevocationList.findFirst({
    where: { issuerId: caId },
    orderBy: { crlNumber: "desc" },
  });
  if (ca.kind === "predecessor_intermediate") return latest;
  if (latest && now.getTime() - latest.thisUpdate.getTime() < CRL_REFRESH_AFTER_HOURS * 3_600_000) return latest;
  const made = await db().$transaction((tx) => publishCrl(tx, caId, now));
  return { ...made, issuerId: caId };
}

/** Re-signs the CRL of every intermediate that still has unexpired certificates or is active. */
export async function refreshAllCrls(now = new Date()) {
  const cas = await db().certificateAuthority.findMany({
    where: { kind: "intermediate", notAfter: { gt: now } },
    select: { id: true },
  });
  const out = [];
  for (const { id } of cas) out.push({ caId: id, ...(await db().$transaction((tx) => publishCrl(tx, id, now))) });
  return out;
}
