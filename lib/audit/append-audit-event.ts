import type { Tx } from "@/lib/db/client";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import { newId } from "@/lib/ids";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { currentRequestContext } from "@/lib/http/request-context";
import {
  computeAuditEventHash,
  GENESIS_HASH,
  stateDigestOf,
  type AuditEventRecord,
} from "@/lib/audit/audit-event-hash";

export type AuditActor =
  | { type: "user"; id: string }
  | { type: "client"; id: string } // an OIDC client or API caller
  | { type: "system"; id?: string };

export type AppendAuditEventInput = {
  actor: AuditActor;
  action: string; // verb phrase, dotted: "passkey.added", "payout_batch.approved"
  subject: { type: string; id: string };
  /** The new state of the subject; only its digest is chained, so keep secrets out of `data`, not out of here. */
  state: unknown;
  /** A small, non-secret summary shown on the audit page and exported. */
  data?: Record<string, unknown>;
  requestId?: string;
};

/**
 * Appends an event to the hash chain inside the caller's transaction, so the
 * change and its record commit or roll back together.
 */
export async function appendAuditEvent(tx: Tx, input: AppendAuditEventInput) {
  // Resolved before the lock: outside a request it costs a failed next/headers lookup, which no other append should wait for.
  const requestId = input.requestId ?? (await currentRequestContext())?.requestId ?? null;
  // One lock for the whole chain: appends are serialized so that each event sees its predecessor.
  await lockForTransaction(tx, advisoryLockIds.auditChain);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });

  const record: AuditEventRecord = {
    seq: ((last?.seq ?? 0n) + 1n).toString(),
    id: newId("evt"),
    // Millisecond precision, the precision Postgres keeps, so the hash recomputes.
    occurredAt: new Date().toISOString(),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    action: input.action,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    stateDigest: stateDigestOf(input.state),
    data: input.data === undefined ? null : JSON.parse(canonicalJson(input.data)),
    requestId,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = computeAuditEventHash(record);
  return tx.auditEvent.create({
    data: {
      ...record,
      seq: BigInt(record.seq),
      occurredAt: new Date(record.occurredAt),
      data: record.data === null ? undefined : (record.data as object),
      hash,
    },
  });
}
