import "server-only";
import { db } from "@/lib/db/client";
import { sequenceIfPending } from "@/lib/audit/sequence-audit-events";
import { AppError } from "@/lib/errors/app-error";
import { getCheckpointCosigners, type Cosigner } from "@/lib/transparency/checkpoint-cosigners";
import { loggedThingRules, type LoggedThing, type LoggedThingKind } from "@/lib/transparency/logged-things";
import { proveInclusion } from "@/lib/transparency/prove";
import { getLatestCheckpoint } from "@/lib/transparency/read-log";

export const LOG_RECEIPT_FORMAT = "guildhall.log-receipt/1";

type ReceiptBase = {
  format: typeof LOG_RECEIPT_FORMAT;
  thing: LoggedThing & { label: string };
  /** The entry's index in the log (its audit event's seq − 1), given by the sequencer within a round of the commit. */
  index: number;
  event: string;
  action: string;
  at: string;
};

/**
 * Where a handed-out thing stands in the log. Once integrated it carries the
 * inclusion proof against the latest signed checkpoint, in the shape of
 * `GET /api/log/proof` (index, treeSize, entry, leafHash, proof, checkpoint), so
 * `tools/log-verify inclusion --proof` checks a saved receipt offline.
 */
export type LogReceipt =
  | (ReceiptBase & { status: "awaiting_integration" })
  | (ReceiptBase & {
      status: "integrated";
      treeSize: number;
      entry: string;
      leafHash: string;
      proof: string[];
      checkpoint: string;
      checkpointAt: string;
      witnesses: Cosigner[];
    });

/** The newest audit event recording the thing, or null when none does. */
async function findRecordingEvent(thing: LoggedThing) {
  const rule = loggedThingRules[thing.kind];
  const where = {
    subjectType: rule.subjectType,
    ...(rule.actions ? { action: { in: [...rule.actions] } } : {}),
    ...("dataKey" in rule ? { data: { path: [rule.dataKey], equals: thing.id } } : { subjectId: thing.id }),
  };
  // An act of the last moment gets its place (the receipt's index) now rather than at the integrator's next round.
  await sequenceIfPending(where);
  const placed = await db().auditPlacement.findFirst({
    where: { event: where },
    orderBy: { seq: "desc" },
    select: { seq: true, event: { select: { id: true, action: true, occurredAt: true } } },
  });
  return placed && { seq: placed.seq, ...placed.event };
}

/**
 * The log entry of a handed-out thing (a license, a certificate and its license
 * document, a ballot, a tally, a release manifest, a payout statement or batch,
 * a split-policy activation, a client registration) and, once integrated, its
 * inclusion proof. Throws NOT_FOUND (reason NOT_LOGGED) when the log records no
 * such thing, or BAD_REQUEST (BAD_THING_ID) for an id that cannot be one.
 */
export async function findLogReceipt(thing: LoggedThing): Promise<LogReceipt> {
  const rule = loggedThingRules[thing.kind];
  if (!rule.idPattern.test(thing.id))
    throw new AppError("BAD_REQUEST", {
      userMessage: `That is not the id of a ${rule.label}.`,
      reason: "BAD_THING_ID",
    });
  const event = await findRecordingEvent(thing);
  if (!event)
    throw new AppError("NOT_FOUND", { userMessage: `The log records no such ${rule.label}.`, reason: "NOT_LOGGED" });
  const base: ReceiptBase = {
    format: LOG_RECEIPT_FORMAT,
    thing: { ...thing, label: rule.label },
    index: Number(event.seq - 1n),
    event: event.id,
    action: event.action,
    at: event.occurredAt.toISOString(),
  };
  const checkpoint = await getLatestCheckpoint();
  if (!checkpoint || base.index >= checkpoint.size) return { ...base, status: "awaiting_integration" };
  const [inclusion, witnesses] = await Promise.all([
    proveInclusion(base.index, checkpoint.size),
    getCheckpointCosigners(checkpoint),
  ]);
  return {
    ...base,
    status: "integrated",
    treeSize: inclusion.treeSize,
    entry: inclusion.entry,
    leafHash: inclusion.leafHash,
    proof: inclusion.proof,
    // With the witnesses' cosignatures (proveInclusion's), so a saved receipt verifies offline with --witness and --quorum.
    checkpoint: inclusion.checkpoint,
    checkpointAt: checkpoint.createdAt.toISOString(),
    witnesses,
  };
}

/** The same, or null when the log records no such thing (a license never paid, a ballot never cast). */
export async function findLogReceiptIfAny(thing: LoggedThing): Promise<LogReceipt | null> {
  try {
    return await findLogReceipt(thing);
  } catch (e) {
    if (e instanceof AppError && e.reason === "NOT_LOGGED") return null;
    throw e;
  }
}

/** Several things' receipts at once (a page's licenses, say), keyed `kind:id`; a thing never logged maps to null. */
export async function findLogReceipts(things: readonly LoggedThing[]): Promise<Map<string, LogReceipt | null>> {
  const receipts = await Promise.all(things.map((t) => findLogReceiptIfAny(t)));
  return new Map(things.map((t, i) => [`${t.kind}:${t.id}`, receipts[i]]));
}

/**
 * The entry index of each of many things of one kind recorded under their own
 * subject (payout items, licenses...), in one query and without proofs: for a
 * table's "entry N" links, whose page shows and checks the proof.
 */
export async function findLogEntryIndexes(kind: LoggedThingKind, ids: readonly string[]): Promise<Map<string, number>> {
  const rule = loggedThingRules[kind];
  if ("dataKey" in rule) throw new Error(`${kind} is recorded under another subject; use findLogReceipts`);
  if (ids.length === 0) return new Map();
  const where = {
    subjectType: rule.subjectType,
    subjectId: { in: [...ids] },
    ...(rule.actions ? { action: { in: [...rule.actions] } } : {}),
  };
  await sequenceIfPending(where);
  const placements = await db().auditPlacement.findMany({
    where: { event: where },
    orderBy: { seq: "desc" },
    select: { seq: true, event: { select: { subjectId: true } } },
  });
  const indexes = new Map<string, number>();
  for (const p of placements) if (!indexes.has(p.event.subjectId)) indexes.set(p.event.subjectId, Number(p.seq - 1n));
  return indexes;
}
