import "server-only";
import { db } from "@/lib/db/client";

export type ForkOriginSummary = Awaited<ReturnType<typeof listForkOrigins>>[number];

/**
 * The Guildhalls this one was forked from (`org import`), oldest first: what its pages name as the origin of
 * the records and log entries it holds from before the fork. Empty for a Guildhall that was never forked.
 */
export async function listForkOrigins() {
  const rows = await db().forkOrigin.findMany({
    orderBy: { importedAt: "asc" },
    select: { issuer: true, logOrigin: true, treeSize: true, rootHash: true, exportedAt: true, importedAt: true },
  });
  return rows.map((r) => ({ ...r, treeSize: Number(r.treeSize), host: hostOf(r.issuer) }));
}

/**
 * What anyone needs to check that this fork's log continues its origin's (`log-verify fork`): each origin's
 * signed checkpoint at the fork and its log's verifier key, as the archive brought them. Public: the origin
 * published both. A verifier should compare them with copies kept from the origin itself.
 */
export async function listForkOriginCheckpoints() {
  return db().forkOrigin.findMany({
    orderBy: { importedAt: "asc" },
    select: { issuer: true, logOrigin: true, logVerifierKey: true, checkpoint: true, treeSize: true },
  });
}

const hostOf = (issuer: string) => {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
};

/**
 * Where a record was made: the Guildhall it came from with a fork (the first origin whose fork was imported
 * after the record was made, so a fork of a fork names the Guildhall that made it), or null when it was made
 * here. A fork is imported into an empty database whose clock is not behind its origin's (`org import` refuses
 * otherwise), so everything it made itself is dated after its import and everything it imported before.
 */
export function originOfRecord(
  forks: readonly ForkOriginSummary[],
  madeAt: Date | string | null | undefined,
): ForkOriginSummary | null {
  if (!madeAt) return null;
  const at = new Date(madeAt);
  return forks.find((f) => at < f.importedAt) ?? null;
}

/** Where a log entry (or the audit event at its place) was made: entries below an origin's tree size came from it. */
export function originOfLogEntry(forks: readonly ForkOriginSummary[], index: number): ForkOriginSummary | null {
  return forks.find((f) => index < f.treeSize) ?? null;
}
