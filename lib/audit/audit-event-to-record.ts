import type { AuditEvent } from "@/lib/generated/prisma/client";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";

/**
 * The place in the chain of an event read among sequenced ones (a query on seq, which skips the rest); an event
 * still waiting for the sequencer here is a broken store, not a reader's mistake.
 */
export function sequencedSeq(e: { id?: string; seq: bigint | null }): bigint {
  if (e.seq === null) throw new Error(`audit event ${e.id ?? ""} is not sequenced yet`);
  return e.seq;
}

/** A stored, sequenced event in its exported form (the hashed fields plus the hash). */
export function auditEventToRecord(e: AuditEvent): AuditEventRecord & { hash: string } {
  if (e.seq === null || e.prevHash === null || e.hash === null)
    throw new Error(`audit event ${e.id} is not sequenced yet`);
  return {
    seq: e.seq.toString(),
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
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
