import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { auditEventToRecord, withEvent } from "@/lib/audit/audit-event-to-record";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";

export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional(),
  actorId: z.string().trim().max(100).optional(),
  subjectType: z.string().trim().max(100).optional(),
  subjectId: z.string().trim().max(100).optional(),
  from: z.iso.date().optional(), // first day shown (UTC), inclusive
  to: z.iso.date().optional(), // last day shown (UTC), inclusive
  before: z.coerce.bigint().positive().optional(), // seq cursor, newest first
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

/** A page of events, newest first, for the admin page. Permission is the caller's to check. */
export async function listAuditEvents(filter: AuditFilter) {
  const f = auditFilterSchema.parse(filter);
  // Events of the last moments wait for the sequencer's next round (lib/audit/sequence-audit-events.ts): the page
  // shows every committed act, in its place.
  await sequenceIfPending({});
  const where: Prisma.AuditEventWhereInput = {
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.subjectType ? { subjectType: f.subjectType } : {}),
    ...(f.subjectId ? { subjectId: f.subjectId } : {}),
    ...(f.from || f.to
      ? {
          occurredAt: {
            ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
            ...(f.to ? { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) } : {}),
          },
        }
      : {}),
  };
  const rows = await db().auditPlacement.findMany({
    where: { event: where, ...(f.before ? { seq: { lt: f.before } } : {}) },
    orderBy: { seq: "desc" },
    take: f.limit + 1,
    include: withEvent,
  });
  const events = rows.slice(0, f.limit).map(auditEventToRecord);
  return { events, nextBefore: rows.length > f.limit ? events[events.length - 1].seq : null };
}

/** One event by its sequence number, for its detail page; null when there is none. */
export async function getAuditEvent(seq: bigint) {
  const row = await db().auditPlacement.findUnique({ where: { seq }, include: withEvent });
  return row ? auditEventToRecord(row) : null;
}
