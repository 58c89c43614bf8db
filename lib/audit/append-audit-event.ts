import "server-only";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { currentRequestContext } from "@/lib/http/request-context";
import { stateDigestOf } from "@/lib/audit/audit-event-hash";
import { type Actor, auditActorOf } from "@/lib/access/actor";

export type AppendAuditEventInput = {
  /** Who acts; recorded as `auditActorOf(actor)` names it (a theater API token's user as its client). */
  actor: Actor;
  action: string; // verb phrase, dotted: "passkey.added", "payout_batch.approved"
  subject: { type: string; id: string };
  /** The new state of the subject; only its digest is chained, so keep secrets out of `data`, not out of here. */
  state: unknown;
  /** A small, non-secret summary shown on the audit page and exported. */
  data?: Record<string, unknown>;
  requestId?: string;
};

/**
 * Appends an event inside the caller's transaction, so the change and its
 * record commit or roll back together: one INSERT, no lock, nothing read. Its
 * place in the hash chain (seq, hence its log entry seq − 1, prevHash, hash)
 * is given after commit by the sequencer, in batches
 * (lib/audit/sequence-audit-events.ts): what commits is in the history, and
 * sequenced within the integrator's next round.
 */
export async function appendAuditEvent(tx: Tx, input: AppendAuditEventInput): Promise<{ id: string }> {
  const requestId = input.requestId ?? (await currentRequestContext())?.requestId ?? null;
  const row = auditEventRow(input, requestId);
  // A plain statement rather than the query builder's create: this runs in every audited act.
  await tx.$executeRawUnsafe(INSERT_AUDIT_EVENT, ...row);
  return { id: row[0] };
}

/** The one statement that appends an event; `$1`… are auditEventRow's values, in order. */
export const INSERT_AUDIT_EVENT = `INSERT INTO "AuditEvent" ("id", "occurredAt", "actorType", "actorId", "action",
  "subjectType", "subjectId", "stateDigest", "data", "requestId")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`;

/**
 * The values of an event's row as appended (the transaction's id and the append order are the table's
 * defaults). Exported for `npm run bench:log`, whose sustained part writes these very rows on connections of
 * its own (scripts/bench-log.ts).
 */
export function auditEventRow(
  input: AppendAuditEventInput,
  requestId: string | null,
): [string, Date, string, string, string, string, string, string, string | null, string | null] {
  const actor = auditActorOf(input.actor);
  return [
    newId("evt"),
    // Millisecond precision, the precision Postgres keeps, so the hash recomputes.
    new Date(new Date().toISOString()),
    actor.type,
    actor.id,
    input.action,
    input.subject.type,
    input.subject.id,
    stateDigestOf(input.state),
    input.data === undefined ? null : canonicalJson(input.data),
    requestId,
  ];
}
