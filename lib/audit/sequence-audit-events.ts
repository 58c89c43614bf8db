import "server-only";
import { db, type Prisma, type Tx } from "@/lib/db/client";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import { limits } from "@/lib/config/limits";
import { computeAuditEventHash, GENESIS_HASH, type AuditEventRecord } from "@/lib/audit/audit-event-hash";

/** An event the sequencer placed: its record as the chain hashes it, and that hash. */
export type SequencedAuditEvent = AuditEventRecord & { hash: string };

/**
 * An event still waiting for its place, as read (one JSON array per event): id, occurredAt (ISO 8601, ms, UTC),
 * actorType, actorId, action, subjectType, subjectId, stateDigest, data, requestId.
 */
type WaitingEvent = [string, string, string, string | null, string, string, string, string, unknown, string | null];

/**
 * The sequencer: gives the events appended since its last round (committed
 * with no place, lib/audit/append-audit-event.ts) their places in the chain,
 * in the order they were appended, in one batch: the chain's lock, the head,
 * one INSERT of placements (AuditPlacement: seq, event, prevHash, hash). The
 * event rows are never touched: the table is append-only, and a placement
 * costs an insert into a narrow table instead of rewriting the event's row and
 * each of its index entries. Done after commit, acts append side by side and
 * the chain is extended once per round, as the sequencers of Tessera and
 * Sunlight batch a log's additions.
 *
 * Finding the events still waiting, with no flag to clear: commit order is not
 * append order, so "after the last placed" would skip a transaction that
 * appended early and committed late. Each event records its transaction's id
 * (`xact`); every transaction below a snapshot's xmin has ended, so once a
 * round has placed every event it sees (fewer than its batch), every committed
 * event below that xmin is placed, and the round records it as its cut-off
 * (`horizon`). The next round looks only at events at or above the cut-off
 * that have no placement: the recent ones, whatever order they committed in.
 * A transaction still open is invisible to this round and above the cut-off,
 * so the round after its commit places it: never skipped. A round that
 * leaves events waiting (a full batch) records the lower of that xmin and
 * the smallest transaction id among the events it left, so the cut-off moves
 * while the sequencer catches up and each round reads about a batch. An event has one
 * placement at most (unique eventId), and the rows are insert-only: never
 * placed twice. A long transaction elsewhere holds the cut-off back, which
 * widens the next round's look (more rows to skip) but delays no event.
 *
 * Run in the integrator's transaction (lib/transparency/integrate-log.ts, a
 * round every 500 ms on one instance) and, through sequenceAuditEventsNow, by
 * whoever needs a just-committed event's place at once (a receipt, an export).
 * One sequencer at a time (the chain's advisory lock), so a crash loses
 * nothing (the events are committed; the placements commit with the round or
 * not at all) and duplicates nothing. Returns the events it placed, in chain
 * order, as records with their hashes: the integrator builds their log entries
 * from these, without reading them back.
 */
export async function sequenceAuditEvents(
  tx: Tx,
  max: number = limits.log.integrationBatch,
): Promise<SequencedAuditEvent[]> {
  await lockForTransaction(tx, advisoryLockIds.auditChain);
  const head = await tx.auditPlacement.findFirst({ orderBy: { seq: "desc" } });
  // The cut-off, the events and the first transaction left waiting are read in one statement, hence from one
  // snapshot. The events come as one JSON text (an array per event, in append order) parsed at once: the query
  // builder's handling of a round's thousands of rows of twelve columns cost more than hashing them (docs/LOG.md,
  // "Where the time went").
  const [{ isolation, cutoff, firstLeft, events }] = await tx.$queryRaw<
    { isolation: string; cutoff: string; firstLeft: string | null; events: string }[]
  >`
    WITH waiting AS (
      SELECT e.* FROM "AuditEvent" e
      WHERE e."xact" >= ${await cutoffAfter(tx, head?.horizon)}
        AND NOT EXISTS (SELECT 1 FROM "AuditPlacement" p WHERE p."eventId" = e."id")
    ), batch AS (
      SELECT * FROM waiting ORDER BY "queued" LIMIT ${max}
    )
    SELECT current_setting('transaction_isolation') AS "isolation",
      pg_snapshot_xmin(pg_current_snapshot())::text AS "cutoff",
      (SELECT min(w."xact") FROM waiting w WHERE w."queued" > (SELECT max(b."queued") FROM batch b))::text
        AS "firstLeft",
      (SELECT COALESCE(json_agg(json_build_array(b."id", to_char(b."occurredAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        b."actorType", b."actorId", b."action", b."subjectType", b."subjectId", b."stateDigest", b."data",
        b."requestId") ORDER BY b."queued"), '[]') FROM batch b)::text AS "events"`;
  // Each statement after the chain's lock must see the rounds committed before it: in a repeatable-read or
  // serializable transaction the snapshot may predate the lock, the head read above would be an old one, and the
  // round would place events at seqs another round already took (a unique violation, a 500 for the reader). A
  // reader that wants one snapshot sequences first, outside it (buildAccountExport). Refused before any write.
  if (isolation !== "read committed")
    throw new Error(`audit events are sequenced in a read committed transaction, not ${isolation}`);
  const pending = JSON.parse(events) as WaitingEvent[];
  if (pending.length === 0) return [];
  // Every committed event below the snapshot's xmin was seen; those this round leaves (a full batch) are the
  // events after it in append order, all at or above `firstLeft`: below both, every committed event is placed.
  // So the cut-off keeps moving while the sequencer is behind, and a round reads about a batch, not the backlog.
  const previous = head?.horizon ?? 0n;
  const left = firstLeft === null ? null : BigInt(firstLeft);
  const reached = left !== null && left < BigInt(cutoff) ? left : BigInt(cutoff);
  const horizon = reached > previous ? reached : previous;
  let seq = head?.seq ?? 0n;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const placed: SequencedAuditEvent[] = [];
  for (const [
    id,
    occurredAt,
    actorType,
    actorId,
    action,
    subjectType,
    subjectId,
    stateDigest,
    data,
    requestId,
  ] of pending) {
    seq += 1n;
    const record: AuditEventRecord = {
      seq: seq.toString(),
      id,
      occurredAt,
      actorType,
      actorId,
      action,
      subjectType,
      subjectId,
      stateDigest,
      data,
      requestId,
      prevHash,
    };
    const hash = computeAuditEventHash(record);
    placed.push({ ...record, hash });
    prevHash = hash;
  }
  // One JSON parameter rather than four arrays: pg writes an array parameter element by element in JavaScript.
  await tx.$executeRaw`
    INSERT INTO "AuditPlacement" ("seq", "eventId", "prevHash", "hash", "horizon")
    SELECT (v->>0)::bigint, v->>1, v->>2, v->>3, ${horizon}::bigint
    FROM json_array_elements(${JSON.stringify(placed.map((p) => [p.seq, p.id, p.prevHash, p.hash]))}::json) AS v`;
  return placed;
}

/**
 * The cut-off to look from: the last round's, unless it lies beyond every transaction id this server has
 * given (a logical restore into another cluster restarts the ids): then every event is looked at, so none is
 * skipped, and the next round records a cut-off of this cluster.
 */
async function cutoffAfter(tx: Tx, horizon: bigint | undefined): Promise<bigint> {
  if (!horizon) return 0n;
  const [{ next }] = await tx.$queryRaw<{ next: bigint }[]>`
    SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS "next"`;
  return horizon <= next ? horizon : 0n;
}

/**
 * The events matching `where` that the sequencer has not placed yet (those of the last moments): only events
 * at or above the last round's cut-off can be waiting, so this reads the recent ones, never the whole table.
 */
export async function waitingAuditEventsWhere(
  client: Tx,
  where: Prisma.AuditEventWhereInput = {},
): Promise<Prisma.AuditEventWhereInput> {
  const head = await client.auditPlacement.findFirst({ orderBy: { seq: "desc" }, select: { horizon: true } });
  return { ...where, xact: { gte: await cutoffAfter(client, head?.horizon) }, placement: { is: null } };
}

/**
 * A sequencing round of its own, for a reader that needs the place of an event
 * its caller just committed (the index on a receipt, the entries of a proposal's
 * ballots). Never call it inside a transaction: it opens one.
 */
export async function sequenceAuditEventsNow(max: number = limits.log.integrationBatch): Promise<number> {
  const placed = await db().$transaction((tx) => sequenceAuditEvents(tx, max), { timeout: 60_000, maxWait: 60_000 });
  return placed.length;
}

/**
 * Makes sure the events matching `where` have their places before the caller
 * reads their seq: sequencing rounds run (in `tx`, or each in a transaction of
 * its own without one) only while one of them is still waiting. A round places
 * at most `max` events, oldest first, so behind a longer backlog the caller's
 * event may need several; a round that was not full placed every event it saw.
 */
export async function sequenceIfPending(
  where: Prisma.AuditEventWhereInput,
  tx?: Tx,
  max: number = limits.log.integrationBatch,
): Promise<void> {
  const client = tx ?? db();
  while ((await client.auditEvent.count({ where: await waitingAuditEventsWhere(client, where) })) > 0) {
    const placed = tx ? (await sequenceAuditEvents(tx, max)).length : await sequenceAuditEventsNow(max);
    if (placed < max) return;
  }
}

/** Sequences every event committed so far, round after round: what a check of the whole chain starts with. */
export async function sequenceAllPendingAuditEvents(): Promise<void> {
  while ((await sequenceAuditEventsNow()) > 0);
}
