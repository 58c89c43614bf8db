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

export type Integration = { size: number; added: number; checkpoint: string | null };

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
      if (events.length === 0 && last) return { size, added: 0, checkpoint: null };
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
      return { size: appended.edge.size, added: built.length, checkpoint: note };
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
 * The entries' bytes and their openings, each in one statement of arrays (unnest): the query builder's
 * createMany cost more than the rest of a round together (docs/LOG.md, "Where the time went").
 */
async function writeEntries(tx: Tx, size: number, built: BuiltLogEntry[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "LogEntry" ("index", "body")
    SELECT ${size}::bigint + i - 1, body FROM unnest(${built.map((b) => b.body)}::text[]) WITH ORDINALITY AS u(body, i)`;
  const openings = built.flatMap((b, i) => b.openings.map((o) => ({ eventSeq: String(size + i + 1), ...o })));
  if (openings.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LogOpening" ("eventSeq", "path", "salt", "value", "ownerUserId")
    SELECT seq::bigint, path, decode(salt, 'hex'), value, owner
      FROM unnest(${openings.map((o) => o.eventSeq)}::text[], ${openings.map((o) => o.path)}::text[],
        ${openings.map((o) => o.salt.toString("hex"))}::text[], ${openings.map((o) => o.value)}::text[],
        ${openings.map((o) => o.ownerUserId)}::text[]) AS u(seq, path, salt, value, owner)`;
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
