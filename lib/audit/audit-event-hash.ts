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
  return sha256Hex(canonicalJson(record));
}

export function stateDigestOf(state: unknown): string {
  return sha256Hex(canonicalJson(state));
}
