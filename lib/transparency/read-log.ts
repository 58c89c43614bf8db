import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { HASH_BYTES } from "@/lib/merkle/tree-hash";
import { TILE_WIDTH } from "@/lib/merkle/tile-paths";
import type { TileReader } from "@/lib/merkle/tiled-tree";

export type StoredCheckpoint = { size: number; rootHash: Buffer; note: string; createdAt: Date };

/** The newest signed checkpoint, or null before the first integration. */
export async function getLatestCheckpoint(): Promise<StoredCheckpoint | null> {
  return readLatestCheckpoint(db());
}

/** The same, read in the caller's transaction (the service configuration carries it: lib/governance/federation). */
export async function readLatestCheckpoint(tx: Tx): Promise<StoredCheckpoint | null> {
  const row = await tx.logCheckpoint.findFirst({ orderBy: { size: "desc" } });
  return (
    row && { size: Number(row.size), rootHash: Buffer.from(row.rootHash), note: row.note, createdAt: row.createdAt }
  );
}

/** The checkpoint the log signed at exactly `size`, if it signed one. */
export async function getCheckpointAt(size: number, client: Tx = db()): Promise<StoredCheckpoint | null> {
  const row = await client.logCheckpoint.findUnique({ where: { size: BigInt(size) } });
  return (
    row && { size: Number(row.size), rootHash: Buffer.from(row.rootHash), note: row.note, createdAt: row.createdAt }
  );
}

/**
 * The first `width` hashes of a tile (a partial tile is a prefix of the fuller
 * one stored), or null when the tile does not hold that many yet.
 */
export async function readLogTile(level: number, index: number, width: number): Promise<Buffer | null> {
  const tile = await db().logTile.findUnique({ where: { level_index: { level, index: BigInt(index) } } });
  if (!tile || tile.hashes.length < width * HASH_BYTES) return null;
  return Buffer.from(tile.hashes.subarray(0, width * HASH_BYTES));
}

/** The tile reader proofs are computed with; a missing tile is a broken store, not a client's mistake. */
export const storedTileReader: TileReader = async (level, index, width) => {
  const tile = await readLogTile(level, index, width);
  if (!tile) throw new Error(`log tile ${level}/${index} (width ${width}) is missing`);
  return tile;
};

/** Entries `index`·256 … +width as a tlog-tiles entry bundle (each a big-endian uint16 length, then its bytes). */
export async function readEntryBundle(index: number, width: number): Promise<Buffer | null> {
  const first = BigInt(index) * BigInt(TILE_WIDTH);
  const rows = await db().logEntry.findMany({
    where: { index: { gte: first, lt: first + BigInt(width) } },
    orderBy: { index: "asc" },
  });
  if (rows.length < width) return null;
  const parts: Buffer[] = [];
  for (const row of rows) {
    const body = Buffer.from(row.body);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length);
    parts.push(length, body);
  }
  return Buffer.concat(parts);
}

/** One entry's bytes as published, or null beyond the integrated log. */
export async function readLogEntry(index: number): Promise<string | null> {
  const row = await db().logEntry.findUnique({ where: { index: BigInt(index) } });
  return row?.body ?? null;
}
