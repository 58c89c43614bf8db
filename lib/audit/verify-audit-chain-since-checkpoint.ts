import "server-only";
import { db } from "@/lib/db/client";
import { processSlot } from "@/lib/process-state";
import { readAuditEvents } from "@/lib/audit/read-audit-events";
import { sequenceAllPendingAuditEvents } from "@/lib/audit/sequence-audit-events";
import { CHAIN_START, verifyAuditRecords, type ChainPosition, type ChainVerdict } from "@/lib/audit/verify-audit-chain";

/** How long the admin page trusts a whole-chain check before it recomputes every hash again. */
export const FULL_CHECK_EVERY_MS = 10 * 60_000;

type Checkpoint = ChainPosition & { fullCheckAt: Date };

// One per process, whichever copy of this module Next loaded (lib/process-state.ts).
const lastCheckpoint = processSlot<Checkpoint>("auditCheckpoint");

export type CheckpointedVerdict = ChainVerdict & {
  /** When every hash of the chain was last recomputed. */
  fullCheckAt: Date;
  /** How many events this call read (all of them on a full check, the new ones otherwise). */
  eventsRead: number;
};

/**
 * The audit page's check, which must stay fast on a chain of millions of
 * events. The whole chain is recomputed at most every FULL_CHECK_EVERY_MS per
 * process; in between, only the events appended since the last check are read,
 * chained from the remembered head, and that head's row must still carry the
 * hash it had. The database refuses UPDATE and DELETE on the chain, so an
 * alteration further back needs a superuser; the next full check (or
 * `audit verify`, which always reads everything) shows it.
 */
export async function verifyAuditChainSinceCheckpoint(now = new Date()): Promise<CheckpointedVerdict> {
  // Acts of the last moments are checked in their places, not left out.
  await sequenceAllPendingAuditEvents();
  const checkpoint = lastCheckpoint.get();
  const fresh = checkpoint && now.getTime() - checkpoint.fullCheckAt.getTime() < FULL_CHECK_EVERY_MS;
  const anchorHolds =
    fresh &&
    (checkpoint.seq === 0n ||
      (await db().auditPlacement.findUnique({ where: { seq: checkpoint.seq }, select: { hash: true } }))?.hash ===
        checkpoint.hash);
  const from = anchorHolds ? checkpoint : CHAIN_START;
  const fullCheckAt = anchorHolds ? checkpoint.fullCheckAt : now;

  const verdict = await verifyAuditRecords(readAuditEvents(from.seq), from);
  lastCheckpoint.set(
    verdict.ok ? { seq: BigInt(verdict.count), hash: verdict.headHash, count: verdict.count, fullCheckAt } : undefined,
  );
  return { ...verdict, fullCheckAt, eventsRead: verdict.count - from.count };
}
