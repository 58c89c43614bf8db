import "server-only";
import { db } from "@/lib/db/client";

/**
 * The Guildhalls this one was forked from (`org import`), oldest first: what its pages name as the origin of
 * the records and log entries it holds from before the fork. Empty for a Guildhall that was never forked.
 */
export async function listForkOrigins() {
  const rows = await db().forkOrigin.findMany({
    orderBy: { exportedAt: "asc" },
    select: { issuer: true, logOrigin: true, treeSize: true, rootHash: true, exportedAt: true, importedAt: true },
  });
  return rows.map((r) => ({ ...r, treeSize: Number(r.treeSize) }));
}
