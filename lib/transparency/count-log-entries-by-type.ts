import "server-only";
import { db } from "@/lib/db/client";

/**
 * How many entries of each type (action) the signed log holds, most frequent
 * first: the log page's filter. Read from the audit events' action index
 * (entry index = seq − 1), bounded by the latest checkpoint's size.
 */
export async function countLogEntriesByType(treeSize: number): Promise<{ action: string; count: number }[]> {
  if (treeSize === 0) return [];
  const groups = await db().auditEvent.groupBy({
    by: ["action"],
    where: { placement: { seq: { lte: BigInt(treeSize) } } },
    _count: { _all: true },
  });
  return groups
    .map((g) => ({ action: g.action, count: g._count._all }))
    .sort((a, b) => b.count - a.count || (a.action < b.action ? -1 : 1));
}
