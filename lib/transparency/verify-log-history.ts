import "server-only";
import { db } from "@/lib/db/client";
import { auditEventToRecord, type PlacedAuditEvent, withEvent } from "@/lib/audit/audit-event-to-record";
import { appendToEdge, edgeRoot, type TileEdge } from "@/lib/merkle/tile-edge";
import { leafHash } from "@/lib/merkle/tree-hash";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "@/lib/merkle/signed-note";
import { buildLogEntry, canonicalLogJson } from "@/lib/transparency/build-log-entry";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";

export type LogHistoryVerdict =
  | { ok: true; events: number; integrated: number; checkpointsChecked: number }
  | { ok: false; problem: string };

type Expected = { size: number; rootHash: Buffer; from: string };

/**
 * Checks the history against the log, as `audit verify` does:
 * - every integrated audit event rebuilds to its published entry (its
 *   commitments opened with the stored salts; an erased salt is taken on trust
 *   for that one field);
 * - the entries hash to the root of every checkpoint the log stored, and of every
 *   checkpoint a party kept (`knownCheckpoints`, verified with the log key);
 * - no checkpoint, stored or kept, is larger than the history: a cut tail shows.
 * An edited event fails the first check; an edited event whose entry and hashes
 * were recomputed fails the second, since nobody without the log key can sign
 * the new root; a cut tail fails the third, and is caught even when the stored
 * checkpoints were cut too, against a checkpoint a witness or monitor kept.
 */
export async function verifyLogHistory(knownCheckpoints: string[] = [], logKey?: string): Promise<LogHistoryVerdict> {
  // Looked up, never made: a verifier that created the log's key would sign nothing but could hide its absence.
  const vkey = logKey ?? (await findLogVerifierKey());
  if (!vkey) {
    const checkpoints = await db().logCheckpoint.count();
    if (checkpoints > 0 || knownCheckpoints.length > 0)
      return { ok: false, problem: "the log has checkpoints but no log key: give it with --key" };
    return { ok: true, events: await db().auditEvent.count(), integrated: 0, checkpointsChecked: 0 };
  }
  const key = parseVerifierKey(vkey);
  const expected: Expected[] = [];
  for (const note of knownCheckpoints) {
    if (!verifyNoteSignature(note, key))
      return { ok: false, problem: "a kept checkpoint is not signed by the log key" };
    const c = parseCheckpointText(parseNote(note).text);
    expected.push({ size: c.size, rootHash: c.rootHash, from: `the kept checkpoint of size ${c.size}` });
  }
  const stored = await db().logCheckpoint.findMany({
    orderBy: { size: "asc" },
    select: { size: true, rootHash: true },
  });
  for (const c of stored)
    expected.push({ size: Number(c.size), rootHash: Buffer.from(c.rootHash), from: `stored checkpoint ${c.size}` });
  // The latest one's root is read from its signed note, not from the column beside it: a rewrite of the
  // columns cannot forge the signature.
  const latest = await db().logCheckpoint.findFirst({ orderBy: { size: "desc" } });
  if (latest) {
    if (!verifyNoteSignature(latest.note, key))
      return {
        ok: false,
        // The key's name is the log's origin, from LOG_ORIGIN or PUBLIC_URL: a process configured with
        // another public address than the portal's looks for another key.
        problem: `the latest stored checkpoint is not signed by the log key ${key.name} (does this process have the portal's PUBLIC_URL or LOG_ORIGIN?)`,
      };
    const c = parseCheckpointText(parseNote(latest.note).text);
    expected.push({ size: c.size, rootHash: c.rootHash, from: `the signed checkpoint of size ${c.size}` });
  }

  // The chain's length: sequenced events only (one still waiting for the sequencer is not in the history yet).
  const events = await db().auditPlacement.count();
  const largest = expected.reduce((max, e) => (e.size > max.size ? e : max), { size: 0, from: "" } as Expected);
  if (largest.size > events)
    return {
      ok: false,
      problem: `${largest.from} covers ${largest.size} entries but the history holds ${events} events: its tail was cut`,
    };
  return replayEntries(events, expected);
}

/** Rebuilds every integrated entry from its event and hashes the tree, checking each expected root on the way. */
async function replayEntries(events: number, expected: Expected[]): Promise<LogHistoryVerdict> {
  const due = [...expected].sort((a, b) => a.size - b.size);
  let edge: TileEdge = { size: 0, levels: [] };
  const check = (): string | null => {
    while (due.length > 0 && due[0].size === edge.size) {
      const e = due.shift() as Expected;
      if (!edgeRoot(edge).equals(e.rootHash))
        return `the entries up to ${e.size} do not hash to the root of ${e.from}: the log was rewritten`;
    }
    return null;
  };
  const problemAtStart = check();
  if (problemAtStart) return { ok: false, problem: problemAtStart };
  const pageSize = 1000;
  for (let after = 0n; ; after += BigInt(pageSize)) {
    const page = await db().auditPlacement.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: pageSize,
      include: withEvent,
    });
    const bodies = await db().logEntry.findMany({
      where: { index: { gte: after, lt: after + BigInt(pageSize) } },
      orderBy: { index: "asc" },
    });
    const openings = await db().logOpening.findMany({
      where: { eventSeq: { gt: after, lte: after + BigInt(pageSize) } },
    });
    const leaves: Buffer[] = [];
    for (const [i, body] of bodies.entries()) {
      const event = page[i];
      if (!event || event.seq !== body.index + 1n)
        return { ok: false, problem: `log entry ${body.index} has no audit event: the history lost events` };
      const problem = entryMismatch(event, body.body, openings);
      if (problem) return { ok: false, problem };
      leaves.push(leafHash(Buffer.from(body.body)));
    }
    // Appended in runs that stop at each expected size, so every root is checked exactly there.
    for (let at = 0; at < leaves.length; ) {
      const stop = due.length > 0 ? Math.min(leaves.length, at + due[0].size - edge.size) : leaves.length;
      edge = appendToEdge(edge, leaves.slice(at, stop)).edge;
      at = stop;
      const rootProblem = check();
      if (rootProblem) return { ok: false, problem: rootProblem };
    }
    if (page.length < pageSize) break;
  }
  if (due.length > 0) return { ok: false, problem: `${due[0].from} is beyond the published entries` };
  return { ok: true, events, integrated: edge.size, checkpointsChecked: expected.length };
}

type OpeningRow = { eventSeq: bigint; path: string; salt: Uint8Array };

function entryMismatch(event: PlacedAuditEvent, body: string, openings: OpeningRow[]): string | null {
  const salts = new Map(openings.filter((o) => o.eventSeq === event.seq).map((o) => [o.path, Buffer.from(o.salt)]));
  const erased: string[] = [];
  const rebuilt = buildLogEntry(auditEventToRecord(event), (path) => {
    const salt = salts.get(path);
    if (!salt) erased.push(path);
    return salt ?? Buffer.alloc(32);
  }).entry as unknown as Record<string, unknown>;
  const published = JSON.parse(body) as Record<string, unknown>;
  // An erased salt cannot be recomputed: that one commitment is compared to nothing, by design.
  for (const path of erased) copyAt(published, rebuilt, path.split("."));
  return canonicalLogJson(rebuilt) === body
    ? null
    : `audit event ${event.seq} (${event.eventId}) differs from its published log entry ${event.seq - 1n}: it was altered`;
}

function copyAt(from: Record<string, unknown>, to: Record<string, unknown>, path: string[]): void {
  let source: unknown = from;
  let target: unknown = to;
  for (const key of path.slice(0, -1)) {
    source = (source as Record<string, unknown> | undefined)?.[key];
    target = (target as Record<string, unknown> | undefined)?.[key];
  }
  const last = path[path.length - 1];
  if (source && target && typeof target === "object")
    (target as Record<string, unknown>)[last] = (source as Record<string, unknown>)[last];
}
