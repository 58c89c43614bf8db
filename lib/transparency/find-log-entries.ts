import "server-only";
import { db } from "@/lib/db/client";
import { getLatestCheckpoint } from "@/lib/transparency/read-log";

export type LogEntryQuery = {
  subjectType?: string;
  subjectId?: string;
  action?: string;
  before?: number;
  limit: number;
};

/**
 * Integrated entries, newest first, found through the audit events' indexes
 * (entry index = seq − 1, from their placements). Only what a signed checkpoint covers is listed, so
 * every entry returned can be proven.
 */
export async function findLogEntries(q: LogEntryQuery) {
  const treeSize = (await getLatestCheckpoint())?.size ?? 0;
  const below = Math.min(treeSize, q.before ?? treeSize);
  const events = await db().auditPlacement.findMany({
    where: {
      seq: { lte: BigInt(below) },
      event: {
        ...(q.subjectType ? { subjectType: q.subjectType } : {}),
        ...(q.subjectId ? { subjectId: q.subjectId } : {}),
        ...(q.action ? { action: q.action } : {}),
      },
    },
    orderBy: { seq: "desc" },
    take: q.limit + 1,
    select: { seq: true },
  });
  const page = events.slice(0, q.limit).map((e) => e.seq - 1n);
  const rows = await db().logEntry.findMany({ where: { index: { in: page } }, orderBy: { index: "desc" } });
  return {
    treeSize,
    entries: rows.map((r) => ({ index: Number(r.index), entry: r.body })),
    nextBefore: events.length > q.limit ? Number(page[page.length - 1]) : null,
  };
}
