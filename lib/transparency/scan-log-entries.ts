import "server-only";
import { db } from "@/lib/db/client";
import type { LogEntryV1 } from "@/lib/transparency/build-log-entry";
import { getLatestCheckpoint } from "@/lib/transparency/read-log";

export type PublishedEntry = { index: number; entry: LogEntryV1 };

/**
 * The published entries about one subject, read from the log itself, not from
 * the audit events it was built from: what a verifier holds the history to must
 * be what the log signed, which nobody can change unseen. Scans the entries
 * from `fromIndex` up to the latest checkpoint; the text test is only a filter
 * (entries are canonical JSON, so a subject always reads the same), each match
 * is parsed and checked.
 */
export async function scanLogEntries(q: {
  subjectType: string;
  subjectId: string;
  actions: readonly string[];
  fromIndex: number;
}): Promise<{ treeSize: number; entries: PublishedEntry[] }> {
  const treeSize = (await getLatestCheckpoint())?.size ?? 0;
  const subject = `"subject":${JSON.stringify({ id: q.subjectId, type: q.subjectType })}`;
  const rows = await db().$queryRaw<{ index: bigint; body: string }[]>`
    SELECT "index", "body" FROM "LogEntry"
     WHERE "index" >= ${BigInt(q.fromIndex)} AND "index" < ${BigInt(treeSize)} AND strpos("body", ${subject}) > 0
     ORDER BY "index"`;
  const entries: PublishedEntry[] = [];
  for (const row of rows) {
    const entry = JSON.parse(row.body) as LogEntryV1;
    if (entry.subject.type !== q.subjectType || entry.subject.id !== q.subjectId) continue;
    if (!q.actions.includes(entry.action)) continue;
    entries.push({ index: Number(row.index), entry });
  }
  return { treeSize, entries };
}
