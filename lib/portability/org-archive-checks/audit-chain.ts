import "server-only";
import { computeAuditEventHash, GENESIS_HASH, type AuditEventRecord } from "@/lib/audit/audit-event-hash";
import { instant, textOrNull, type RecordCheck } from "@/lib/portability/org-archive-checks/record-check";

/** The audit history's hash chain, from the first event to the last. */
export function auditChainCheck(): RecordCheck {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let pendingSeen = false;
  return {
    record: (row) => {
      // Appended but not yet placed in the chain by the sequencer: no seq or hash yet; the fork places them.
      if (row.seq === null || row.seq === undefined) {
        pendingSeen = true;
        return null;
      }
      if (pendingSeen) return `audit event ${String(row.id)}: a sequenced event after one still waiting for its place`;
      const record: AuditEventRecord = {
        seq: String(row.seq),
        id: String(row.id),
        occurredAt: instant(row.occurredAt),
        actorType: String(row.actorType),
        actorId: textOrNull(row.actorId),
        action: String(row.action),
        subjectType: String(row.subjectType),
        subjectId: String(row.subjectId),
        stateDigest: String(row.stateDigest),
        data: row.data ?? null,
        requestId: textOrNull(row.requestId),
        prevHash: String(row.prevHash),
      };
      const where = `audit event ${record.seq} (${record.id})`;
      if (record.seq !== expectedSeq.toString()) return `${where}: expected event ${expectedSeq}: events are missing`;
      if (record.prevHash !== prevHash) return `${where}: its prevHash is not the previous event's hash`;
      if (computeAuditEventHash(record) !== row.hash) return `${where}: its hash does not match its content`;
      prevHash = String(row.hash);
      expectedSeq += 1n;
      return null;
    },
  };
}
