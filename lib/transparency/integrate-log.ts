import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import { limits } from "@/lib/config/limits";
import { auditEventToRecord, withEvent } from "@/lib/audit/audit-event-to-record";
import { sequenceAuditEvents, type SequencedAuditEvent } from "@/lib/audit/sequence-audit-events";
import { leafHash } from "@/lib/merkle/tree-hash";
import { appendToEdge, edgeRoot, edgeTileAddresses, tileHashes, type ChangedTile } from "@/lib/merkle/tile-edge";
import { formatCheckpointText } from "@/lib/merkle/checkpoint";
import { formatNote, signNoteText } from "@/lib/merkle/signed-note";
import { buildLogEntry, type BuiltLogEntry } from "@/lib/transparency/build-log-entry";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { forgetPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";

/** A round's outcome; `behind`: the batch was full, so events may be waiting for the next round, due at once. */
export type Integration = { size: number; added: number; checkpoint: string | null; behind: boolean };

/**
 * Sequences the audit events appended since the last round (their acts
 * committed them; lib/audit/sequence-audit-events.ts), then integrates the
 * events not yet in the log (the event of seq s is entry s − 1), in one transaction: their
 * entries and openings, the tiles they change, and a signed checkpoint of the
 * new size. Reads only the tree's right edge, so the cost is the batch's, not
 * the log's. One integrator at a time, whichever instance: the transaction
 * holds an advisory lock and re-reads the size under it. A crash before commit
 * leaves nothing; the events are still there for the next round. One size is
 * never signed with two roots: the checkpoint's key is its size.
 */
export async function integrateLog(maxEntries: number = limits.log.integrationBatch): Promise<Integration> {
  const signer = await getLogSigner();
  const integration = await db().$transaction(
    async (tx) => {
      await lockForTransaction(tx, advisoryLockIds.logIntegrator);
      const placed = await sequenceAuditEvents(tx, maxEntries);
      const last = await tx.logCheckpoint.findFirst({ orderBy: { size: "desc" }, select: { size: true } });
      const size = Number(last?.size ?? 0n);
      const events = await eventsAfter(tx, size, placed, maxEntries);
      if (events.length === 0 && last) return { size, added: 0, checkpoint: null, behind: false };
      for (const [i, e] of events.entries())
        if (e.seq !== String(size + i + 1)) throw new Error(`audit event ${size + i + 1} is missing: cannot integrate`);

      const built = events.map((e) => buildLogEntry(e));
      const edge = { size, levels: await readEdgeLevels(tx, size) };
      const appended = appendToEdge(
        edge,
        built.map((b) => leafHash(Buffer.from(b.body))),
      );
      if (built.length > 0) {
        await writeEntries(tx, size, built);
        for (const tile of appended.changed) await writeTile(tx, tile);
      }
      const rootHash = edgeRoot(appended.edge);
      const text = formatCheckpointText({ origin: signer.name, size: appended.edge.size, rootHash });
      const note = formatNote(text, [signNoteText(text, signer.name, signer.privateKey)]);
      await tx.logCheckpoint.create({
        data: { size: BigInt(appended.edge.size), rootHash: new Uint8Array(rootHash), note },
      });
      return { size: appended.edge.size, added: built.length, checkpoint: note, behind: built.length === maxEntries };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
  if (integration.checkpoint) forgetPublishedCheckpoint();
  return integration;
}

/**
 * The events of entries `size` onwards (seq size + 1 …): those the round's sequencing just placed when they
 * follow the log's end, as they usually do, so the batch is not read back; otherwise (events placed by a
 * reader's own sequencing round since the last integration) read from the table.
 */
async function eventsAfter(
  tx: Tx,
  size: number,
  placed: SequencedAuditEvent[],
  max: number,
): Promise<SequencedAuditEvent[]> {
  if (placed.length > 0 && placed[0].seq === String(size + 1)) return placed.slice(0, max);
  const rows = await tx.auditPlacement.findMany({
    where: { seq: { gt: BigInt(size) } },
    orderBy: { seq: "asc" },
    take: max,
    include: withEvent,
  });
  return rows.map(auditEventToRecord);
}

/**
 * The entries' bytes and their openings, each in one statement over one text parameter: the query builder's
 * createMany cost more than the rest of a round together, and pg writes an array parameter element by element
 * in JavaScript (docs/LOG.md, "Where the time went"). The entries go as their bodies joined by newlines (canonical
 * JSON has none: no whitespace between tokens, control characters escaped in strings), the openings as one JSON
 * array. The count of rows written is checked all the same: a round that wrote other rows than it built rolls back.
 */
async function writeEntries(tx: Tx, size: number, built: BuiltLogEntry[]): Promise<void> {
  const written = await tx.$executeRaw`
    INSERT INTO "LogEntry" ("index", "body")
    SELECT ${size}::bigint + i - 1, body
    FROM string_to_table(${built.map((b) => b.body).join("\n")}, chr(10)) WITH ORDINALITY AS u(body, i)`;
  if (written !== built.length) throw new Error(`wrote ${written} log entries of ${built.length}: not integrated`);
  const openings: [string, string, string, string, string | null][] = [];
  for (const [i, b] of built.entries())
    for (const o of b.openings)
      openings.push([String(size + i + 1), o.path, o.salt.toString("hex"), o.value, o.ownerUserId]);
  if (openings.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LogOpening" ("eventSeq", "path", "salt", "value", "ownerUserId")
    SELECT (o->>0)::bigint, o->>1, decode(o->>2, 'hex'), o->>3, o->>4
    FROM json_array_elements(${JSON.stringify(openings)}::json) AS o`;
}

async function readEdgeLevels(tx: Tx, size: number): Promise<Buffer[][]> {
  const levels: Buffer[][] = [];
  for (const { level, index, width } of edgeTileAddresses(size)) {
    const tile = await tx.logTile.findUnique({ where: { level_index: { level, index: BigInt(index) } } });
    if (!tile || tile.hashes.length < width * 32) throw new Error(`log tile ${level}/${index} is missing or short`);
    levels[level] = tileHashes(tile.hashes.subarray(0, width * 32));
  }
  return levels;
}

/** Inserts a tile or grows a partial one (the table's trigger refuses any other change). */
async function writeTile(tx: Tx, tile: ChangedTile): Promise<void> {
  const hashes = new Uint8Array(Buffer.concat(tile.hashes));
  await tx.$executeRaw`
    INSERT INTO "LogTile" ("level", "index", "hashes") VALUES (${tile.level}, ${BigInt(tile.index)}, ${hashes})
    ON CONFLICT ("level", "index") DO UPDATE SET "hashes" = EXCLUDED."hashes"`;
}
