import "server-only";
import { db, type Prisma, type Tx } from "@/lib/db/client";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import { limits } from "@/lib/config/limits";
import { computeAuditEventHash, GENESIS_HASH, type AuditEventRecord } from "@/lib/audit/audit-event-hash";

/** An event the sequencer placed: its record as the chain hashes it, and that hash. */
export type SequencedAuditEvent = AuditEventRecord & { hash: string };

/**
 * The sequencer: gives the events appended since its last round (committed
 * with seq, prevHash and hash null, lib/audit/append-audit-event.ts) their
 * places in the chain, in the order they were appended, in one batch: the
 * chain's lock, the head, one UPDATE. This is what used to happen inside every
 * act's transaction, under a lock held until its commit; done after commit,
 * acts append side by side and the chain is extended once per round, as the
 * sequencers of Tessera and Sunlight batch a log's additions.
 *
 * Run in the integrator's transaction (lib/transparency/integrate-log.ts, a
 * round every 500 ms on one instance) and, through sequenceAuditEventsNow, by
 * whoever needs a just-committed event's place at once (a receipt, an export).
 * One sequencer at a time (the chain's advisory lock); an event is sequenced
 * once (the table's trigger lets seq, prevHash and hash be set only from
 * null), so a crash loses nothing and duplicates nothing. Returns the events
 * it placed, in chain order, as records with their hashes: the integrator
 * builds their log entries from these, without reading them back.
 */
export async function sequenceAuditEvents(
  tx: Tx,
  max: number = limits.log.integrationBatch,
): Promise<SequencedAuditEvent[]> {
  await lockForTransaction(tx, advisoryLockIds.auditChain);
  const pending = await tx.auditEvent.findMany({ where: { seq: null }, orderBy: { queued: "asc" }, take: max });
  if (pending.length === 0) return [];
  const head = await tx.auditEvent.findFirst({
    where: { seq: { not: null } },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  let seq = head?.seq ?? 0n;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const placed: SequencedAuditEvent[] = [];
  for (const e of pending) {
    seq += 1n;
    const record: AuditEventRecord = {
      seq: seq.toString(),
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
      prevHash,
    };
    const hash = computeAuditEventHash(record);
    placed.push({ ...record, hash });
    prevHash = hash;
  }
  await tx.$executeRaw`
    UPDATE "AuditEvent" AS e SET "seq" = v.seq::bigint, "prevHash" = v.prev, "hash" = v.hash
    FROM unnest(${placed.map((p) => p.id)}::text[], ${placed.map((p) => p.seq)}::text[],
      ${placed.map((p) => p.prevHash)}::text[], ${placed.map((p) => p.hash)}::text[]) AS v(id, seq, prev, hash)
    WHERE e."id" = v.id AND e."seq" IS NULL`;
  return placed;
}

/**
 * A sequencing round of its own, for a reader that needs the place of an event
 * its caller just committed (the index on a receipt, the entries of a proposal's
 * ballots). Never call it inside a transaction: it opens one.
 */
export async function sequenceAuditEventsNow(): Promise<number> {
  const placed = await db().$transaction((tx) => sequenceAuditEvents(tx), { timeout: 60_000, maxWait: 60_000 });
  return placed.length;
}

/**
 * Makes sure the events matching `where` have their places before the caller
 * reads their seq: a sequencing round runs (in `tx`, or in a transaction of its
 * own without one) only when one of them is still waiting.
 */
export async function sequenceIfPending(where: Prisma.AuditEventWhereInput, tx?: Tx): Promise<void> {
  const client = tx ?? db();
  if ((await client.auditEvent.count({ where: { ...where, seq: null } })) === 0) return;
  if (tx) await sequenceAuditEvents(tx);
  else await sequenceAuditEventsNow();
}

/** Sequences every event committed so far, round after round: what a check of the whole chain starts with. */
export async function sequenceAllPendingAuditEvents(): Promise<void> {
  while ((await db().auditEvent.count({ where: { seq: null } })) > 0) await sequenceAuditEventsNow();
}
