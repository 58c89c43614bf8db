import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { RECORD_HASH_LINE_BYTES, recordHashesFile } from "@/lib/portability/org-archive-files";
import { refuseImport } from "@/lib/portability/verify-export-signature";

// A whole number of lines per read: 16,384 hashes, about a megabyte, whatever the file's size.
const CHUNK_BYTES = RECORD_HASH_LINE_BYTES * 16_384;

/**
 * A data file's record hashes (recordHashesFile), read a chunk at a time: opened only once the file is checked
 * whole against the manifest (its size, a 65-byte line per record, its SHA-256), so a mismatch found through it
 * is the data file's, never its own. Its lines' shape is not checked: the manifest's signature vouches for its
 * bytes, and a line that is no hash matches no record, which is refused as the record's.
 */
export class RecordHashes {
  private readonly fd: number;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  private constructor(
    readonly file: string,
    private readonly fullPath: string,
    /** How many records the archive lists in the data file: one hash line each. */
    readonly records: number,
  ) {
    this.fd = fs.openSync(fullPath, "r");
  }

  /** Checks the file beside `listed` against the manifest and opens it; refuses naming it when it differs. */
  static open(dir: string, listed: OrgArchiveManifest["files"][number]): RecordHashes {
    const file = recordHashesFile(listed.name);
    const fullPath = path.join(dir, file);
    if (!fs.existsSync(fullPath) || !fs.statSync(fullPath).isFile())
      throw refuseImport(file, "the archive has no such file", "ARCHIVE_INCOMPLETE");
    const size = fs.statSync(fullPath).size;
    if (size !== listed.recordHashes.bytes || size !== listed.records * RECORD_HASH_LINE_BYTES)
      throw refuseImport(
        file,
        `it holds ${size} bytes; the manifest says ${listed.recordHashes.bytes}, one 65-byte line for each of ${listed.records} records`,
        "ARCHIVE_TAMPERED",
      );
    const hashes = new RecordHashes(file, fullPath, listed.records);
    try {
      const whole = crypto.createHash("sha256");
      for (let start = 0; start < size; start += CHUNK_BYTES) whole.update(hashes.read(start));
      if (whole.digest("hex") !== listed.recordHashes.sha256)
        throw refuseImport(file, "its SHA-256 is not the manifest's: the file was changed", "ARCHIVE_TAMPERED");
    } catch (e) {
      hashes.close();
      throw e;
    }
    return hashes;
  }

  /** Record n's hash (from 1), or null past the archive's last record. */
  at(n: number): string | null {
    if (n < 1 || n > this.records) return null;
    const offset = (n - 1) * RECORD_HASH_LINE_BYTES;
    if (offset < this.chunkStart || offset >= this.chunkStart + this.chunk.length) {
      this.chunkStart = offset - (offset % CHUNK_BYTES);
      this.chunk = this.read(this.chunkStart);
    }
    const at = offset - this.chunkStart;
    return this.chunk.toString("latin1", at, at + 64);
  }

  /** Where the archive holds a record of this hash (from 1), or null: a pass over the file, for a refusal only. */
  positionOf(hash: string): number | null {
    for (let n = 1; n <= this.records; n++) if (this.at(n) === hash) return n;
    return null;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private read(start: number): Buffer {
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, this.records * RECORD_HASH_LINE_BYTES - start));
    const read = fs.readSync(this.fd, buffer, 0, buffer.length, start);
    if (read !== buffer.length) throw new Error(`${this.fullPath} changed while it was read`);
    return buffer;
  }
}
