import type { AuditEvent, AuditPlacement } from "@/lib/generated/prisma/client";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";

/** An event with its place in the chain, as read from the placements (AuditPlacement, with `include: { event: true }`). */
export type PlacedAuditEvent = AuditPlacement & { event: AuditEvent };

/** Reads the events' places: a query of placements with their events, in chain order. */
export const withEvent = { event: true } as const;

/** A stored, sequenced event in its exported form (the hashed fields plus the hash). */
export function auditEventToRecord(p: PlacedAuditEvent): AuditEventRecord & { hash: string } {
  const e = p.event;
  return {
    seq: p.seq.toString(),
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    stateDigest: e.stateDigest,
    data: e.data ?? null,
    requestId: e.requestId,
    prevHash: p.prevHash,
    hash: p.hash,
  };
}
