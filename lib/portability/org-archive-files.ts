import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import { StringDecoder } from "node:string_decoder";
import type { Tx } from "@/lib/db/client";
import { canonicalSha256 } from "@/lib/portability/canonical-sha256";

/** What the manifest says of one file, measured as it is written or read. */
export type FileMeasure = { records: number; bytes: number; sha256: string };

/**
 * A data file's record hashes, beside it (`users.ndjson` → `users.record-hashes`): one line per record, the
 * lower-case hex SHA-256 of the record's bytes (its line without the newline), so every line is 65 bytes and
 * record n's hash is at byte (n − 1) × 65. The manifest holds this file's size and SHA-256, so a record whose
 * bytes changed is named by its number, where the whole file's hash alone could name only the file.
 */
export const recordHashesFile = (dataFile: string) => `${dataFile.replace(/\.ndjson$/, "")}.record-hashes`;
export const RECORD_HASH_LINE_BYTES = 65;
export const recordHash = (line: string) => crypto.createHash("sha256").update(line).digest("hex");

/**
 * Writes one NDJSON file a line at a time, honouring the stream's back-pressure, and its record hashes beside
 * it (recordHashesFile), measuring both.
 */
export class ArchiveFileWriter {
  private readonly out: fs.WriteStream;
  private readonly hashesOut: fs.WriteStream;
  private readonly hash = crypto.createHash("sha256");
  private readonly hashesHash = crypto.createHash("sha256");
  private records = 0;
  private bytes = 0;
  private hashesBytes = 0;

  constructor(path: string) {
    this.out = fs.createWriteStream(path, { flags: "wx" });
    this.hashesOut = fs.createWriteStream(recordHashesFile(path), { flags: "wx" });
  }

  /** Appends records, one line each. */
  async write(records: string[]): Promise<void> {
    const chunk = Buffer.from(`${records.join("\n")}\n`);
    const hashes = Buffer.from(`${records.map(recordHash).join("\n")}\n`);
    this.hash.update(chunk);
    this.hashesHash.update(hashes);
    this.records += records.length;
    this.bytes += chunk.length;
    this.hashesBytes += hashes.length;
    const drained = [
      this.out.write(chunk) || once(this.out, "drain"),
      this.hashesOut.write(hashes) || once(this.hashesOut, "drain"),
    ];
    await Promise.all(drained);
  }

  async close(): Promise<FileMeasure & { recordHashes: { bytes: number; sha256: string } }> {
    this.out.end();
    this.hashesOut.end();
    await Promise.all([once(this.out, "close"), once(this.hashesOut, "close")]);
    return {
      records: this.records,
      bytes: this.bytes,
      sha256: this.hash.digest("hex"),
      recordHashes: { bytes: this.hashesBytes, sha256: this.hashesHash.digest("hex") },
    };
  }
}

/**
 * Reads one NDJSON file a line at a time (never whole), hashing its exact bytes as they stream by: after
 * the lines are read, `measure()` says what the file really held, to compare with the manifest.
 */
export class ArchiveFileReader {
  private readonly hash = crypto.createHash("sha256");
  private bytes = 0;
  private records = 0;
  private finished = false;
  /** The file's last line had no newline: a file cut short inside a record, or a last line added by hand. */
  endsMidLine = false;

  constructor(private readonly path: string) {}

  /**
   * The file's lines, read a chunk at a time only as fast as they are consumed: the stream's own async
   * iterator pauses while the caller awaits (readline's iterator does not, and buffers every line read
   * meanwhile, a whole table when the caller writes slower than the disk reads).
   */
  async *lines(): AsyncGenerator<{ line: string; n: number }> {
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for await (const chunk of fs.createReadStream(this.path, { highWaterMark: 1 << 20 })) {
      this.hash.update(chunk);
      this.bytes += chunk.length;
      const lines = (rest + decoder.write(chunk)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        this.records += 1;
        yield { line, n: this.records };
      }
    }
    rest += decoder.end();
    // A last line without its newline is a record too (and a file the manifest measured otherwise).
    if (rest.length > 0) {
      this.endsMidLine = true;
      this.records += 1;
      yield { line: rest, n: this.records };
    }
    this.finished = true;
  }

  measure(): FileMeasure {
    if (!this.finished) throw new Error(`${this.path} was not read to its end`);
    return { records: this.records, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

/** Hex SHA-256 of a manifest's RFC 8785 canonical JSON: what the archive's signature covers. */
export function orgArchiveDigest(manifest: unknown): string {
  return canonicalSha256(manifest);
}

/** A table's columns in the database's order, with whether each is a 64-bit integer (written as a string). */
export async function tableColumns(tx: Tx, table: string): Promise<{ name: string; bigint: boolean }[]> {
  const rows = await tx.$queryRawUnsafe<{ column_name: string; data_type: string }[]>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    table,
  );
  return rows.map((r) => ({ name: r.column_name, bigint: r.data_type === "bigint" }));
}

/** The newest migration the database has applied: archives move only between databases at the same one. */
export async function latestMigration(tx: Tx): Promise<string> {
  const rows = await tx.$queryRawUnsafe<{ migration_name: string }[]>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY migration_name DESC LIMIT 1`,
  );
  return rows[0]?.migration_name ?? "none";
}

export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
