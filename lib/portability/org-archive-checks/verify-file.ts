import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { ArchiveFileReader, type FileMeasure } from "@/lib/portability/org-archive-files";
import type { Row, RecordCheck } from "@/lib/portability/org-archive-checks/record-check";
import { refuseImport } from "@/lib/portability/verify-export-signature";
import type { FailureReason } from "@/lib/errors/app-error";

/**
 * Streams one archive file once: each line a JSON object passed to the file's record check, then its size,
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
  const reader = new ArchiveFileReader(file);
  // The first problem is kept while the file is read to its end: a changed file is named as changed
  // (its hash) before whatever its change broke inside.
  let problem: { text: string; reason: FailureReason } | null = null;
  for await (const { line, n } of reader.lines()) {
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
  const measured = reader.measure();
  const differs = describeDifference(measured, listed);
  if (differs)
    throw refuseImport(listed.name, `${differs}: the file was changed, cut or reordered`, "ARCHIVE_TAMPERED");
  if (problem) throw refuseImport(listed.name, problem.text, problem.reason);
  const atEnd = check?.end?.();
  if (atEnd) throw refuseImport(listed.name, atEnd, "ARCHIVE_INCONSISTENT");
}

export function describeDifference(measured: FileMeasure, listed: FileMeasure): string | null {
  if (measured.bytes !== listed.bytes) return `it holds ${measured.bytes} bytes, the manifest says ${listed.bytes}`;
  if (measured.records !== listed.records)
    return `it holds ${measured.records} records, the manifest says ${listed.records}`;
  if (measured.sha256 !== listed.sha256) return "its SHA-256 is not the manifest's";
  return null;
}
