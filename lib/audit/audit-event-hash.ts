import { canonicalJson } from "@/lib/crypto/canonical-json";
import { sha256Hex } from "@/lib/crypto/hash";

export const GENESIS_HASH = "0".repeat(64);

/** The fields an event's hash covers, in the form exported as JSON Lines. */
export type AuditEventRecord = {
  seq: string; // decimal, since it is a 64-bit integer
  id: string;
  occurredAt: string; // ISO 8601, millisecond precision
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  stateDigest: string;
  data: unknown;
  requestId: string | null;
  prevHash: string;
};

/**
 * SHA-256 of the canonical JSON of everything but the hash itself. Anyone with
 * an export can recompute it: that is what makes the chain checkable outside.
 */
export function computeAuditEventHash(record: AuditEventRecord): string {
  return sha256Hex(auditEventRecordJson(record));
}

const RECORD_KEYS = 12;
const text = (value: unknown): value is string => typeof value === "string";
const textOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";

/**
 * canonicalJson(record), written out for the record's fixed shape: its keys in canonical (sorted) order, only
 * `data` canonicalized in general. The sequencer hashes every event of a round, and the general form's sorting
 * and intermediate arrays were a fifth of the integrator's time (docs/LOG.md, "Where the time went"). A record
 * of any other shape (a key missing, undefined or added, a field not text) takes the general path, so the
 * result is canonicalJson's for every input (tests/unit/audit/audit-record-json.test.ts).
 */
export function auditEventRecordJson(record: AuditEventRecord): string {
  const r = record as Record<string, unknown>;
  let keys = 0;
  for (const _ in r) keys++;
  if (
    keys !== RECORD_KEYS ||
    r.data === undefined ||
    !(text(r.action) && textOrNull(r.actorId) && text(r.actorType) && text(r.id) && text(r.occurredAt)) ||
    !(text(r.prevHash) && textOrNull(r.requestId) && text(r.seq) && text(r.stateDigest)) ||
    !(text(r.subjectId) && text(r.subjectType))
  )
    return canonicalJson(record);
  const s = JSON.stringify;
  return (
    `{"action":${s(record.action)},"actorId":${s(record.actorId)},"actorType":${s(record.actorType)},` +
    `"data":${canonicalJson(record.data)},"id":${s(record.id)},"occurredAt":${s(record.occurredAt)},` +
    `"prevHash":${s(record.prevHash)},"requestId":${s(record.requestId)},"seq":${s(record.seq)},` +
    `"stateDigest":${s(record.stateDigest)},"subjectId":${s(record.subjectId)},"subjectType":${s(record.subjectType)}}`
  );
}

export function stateDigestOf(state: unknown): string {
  return sha256Hex(canonicalJson(state));
}
