import "server-only";
import fs from "node:fs";
import path from "node:path";
import { ORG_ARCHIVE_TABLES, type OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { ArchiveFileReader, recordHash, type FileMeasure } from "@/lib/portability/org-archive-files";
import { RecordHashes } from "@/lib/portability/org-archive-checks/record-hashes";
import type { Row, RecordCheck } from "@/lib/portability/org-archive-checks/record-check";
import { refuseImport } from "@/lib/portability/verify-export-signature";
import type { FailureReason } from "@/lib/errors/app-error";

/**
 * Streams one archive file once, beside its record hashes (record-hashes.ts): each record's SHA-256 is the
 * archive's for that place (a changed, cut, moved or added record is refused naming the file, the record's
 * number and its key), each line a JSON object passed to the file's record check, then the whole file's size,
 * record count and SHA-256 as the manifest says.
 */
export async function verifyOrgArchiveFile(
  dir: string,
  listed: OrgArchiveManifest["files"][number],
  check?: RecordCheck,
) {
  const file = path.join(dir, listed.name);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw refuseImport(listed.name, "the archive has no such file", "ARCHIVE_INCOMPLETE");
  const hashes = RecordHashes.open(dir, listed);
  try {
    const reader = new ArchiveFileReader(file);
    // The first problem of the records' content is kept while the file is read to its end: a changed record
    // is named as changed (its hash) before whatever its change broke inside, or in a later record.
    let problem: { text: string; reason: FailureReason } | null = null;
    let mismatch: { n: number; line: string; hash: string; cut: boolean } | null = null;
    for await (const { line, n } of reader.lines()) {
      const hash = recordHash(line);
      if (mismatch) {
        // One record past the first that differs tells an added record from a changed one.
        throw refuseImport(listed.name, describeRecordMismatch(listed, hashes, mismatch, hash), "ARCHIVE_TAMPERED");
      }
      if (hash !== hashes.at(n)) {
        mismatch = { n, line, hash, cut: reader.endsMidLine };
        continue;
      }
      if (problem) continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        problem = { text: `record ${n} is not JSON`, reason: "ARCHIVE_MALFORMED" };
        continue;
      }
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        problem = { text: `record ${n} is not a JSON object`, reason: "ARCHIVE_MALFORMED" };
        continue;
      }
      const found = check?.record(row as Row, n);
      if (found) problem = { text: found, reason: "ARCHIVE_INCONSISTENT" };
    }
    if (mismatch)
      throw refuseImport(listed.name, describeRecordMismatch(listed, hashes, mismatch, null), "ARCHIVE_TAMPERED");
    const measured = reader.measure();
    if (measured.records < listed.records)
      throw refuseImport(
        listed.name,
        `it ends after record ${count(measured.records)} of ${count(listed.records)}: the file was cut short`,
        "ARCHIVE_TAMPERED",
      );
    // Every record is the archive's, in its place: what is left to differ is the bytes between them.
    const differs = describeDifference(measured, listed);
    if (differs) throw refuseImport(listed.name, `${differs}: the file was changed`, "ARCHIVE_TAMPERED");
    if (problem) throw refuseImport(listed.name, problem.text, problem.reason);
    const atEnd = check?.end?.();
    if (atEnd) throw refuseImport(listed.name, atEnd, "ARCHIVE_INCONSISTENT");
  } finally {
    hashes.close();
  }
}

/**
 * Why record n is not the archive's record n, from its hash, the next record's (null at the file's end) and,
 * only now that the file is refused, a pass over the archive's record hashes to find where it belongs.
 */
function describeRecordMismatch(
  listed: OrgArchiveManifest["files"][number],
  hashes: RecordHashes,
  mismatch: { n: number; line: string; hash: string; cut: boolean },
  nextHash: string | null,
): string {
  const { n } = mismatch;
  const record = `record ${count(n)}${recordKey(listed.name, mismatch.line)}`;
  if (n > hashes.records)
    return `${record} is not in the archive, whose file ends after record ${count(hashes.records)}: it was added`;
  if (mismatch.cut && nextHash === null)
    return `it ends inside record ${count(n)} of ${count(hashes.records)}: the file was cut short`;
  const belongs = hashes.positionOf(mismatch.hash);
  if (belongs !== null && belongs > n && nextHash !== null && nextHash === hashes.at(belongs + 1))
    return belongs === n + 1
      ? `the archive's record ${count(n)} is missing: ${record} is the archive's record ${count(belongs)}`
      : `the archive's records ${count(n)} to ${count(belongs - 1)} are missing: ${record} is the archive's record ${count(belongs)}`;
  if (belongs !== null) return `${record} is out of place: it is the archive's record ${count(belongs)}`;
  if (nextHash !== null && nextHash === hashes.at(n))
    return `${record} is not in the archive: it was added before the archive's record ${count(n)}`;
  return `${record}: its bytes differ from the archive's record hash`;
}

/** The record's key as its table orders by (its id, mostly), when the line is still JSON enough to read it. */
function recordKey(fileName: string, line: string): string {
  const table = ORG_ARCHIVE_TABLES.find((t) => t.file === fileName);
  let row: Row;
  try {
    row = JSON.parse(line);
  } catch {
    return "";
  }
  if (typeof row !== "object" || row === null) return "";
  const columns = "id" in row ? ["id"] : (table?.orderBy ?? []);
  const parts = columns.filter((c) => c in row).map((c) => `${c} ${String(row[c])}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

const count = (n: number) => n.toLocaleString("en-US");

export function describeDifference(measured: FileMeasure, listed: FileMeasure): string | null {
  if (measured.bytes !== listed.bytes) return `it holds ${measured.bytes} bytes, the manifest says ${listed.bytes}`;
  if (measured.records !== listed.records)
    return `it holds ${measured.records} records, the manifest says ${listed.records}`;
  if (measured.sha256 !== listed.sha256) return "its SHA-256 is not the manifest's";
  return null;
}
