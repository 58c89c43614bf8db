import "server-only";
import { db } from "@/lib/db/client";
import { auditEventToRecord, withEvent } from "@/lib/audit/audit-event-to-record";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";

/** Every sequenced event after `after` (all by default) in chain order, read in pages so memory stays flat on long chains. */
export async function* readAuditEvents(
  after = 0n,
  pageSize = 1000,
): AsyncGenerator<AuditEventRecord & { hash: string }> {
  for (;;) {
    const page = await db().auditPlacement.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: pageSize,
      include: withEvent,
    });
    for (const e of page) yield auditEventToRecord(e);
    if (page.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}
