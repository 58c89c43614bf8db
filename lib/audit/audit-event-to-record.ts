import type { AuditEvent } from "@/lib/generated/prisma/client";
import type { AuditEventRecord } from "@/lib/audit/audit-event-hash";

/** A stored event in its exported form (the hashed fields plus the hash). */
export function auditEventToRecord(e: AuditEvent): AuditEventRecord & { hash: string } {
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
