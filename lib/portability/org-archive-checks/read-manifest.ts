import "server-only";
import fs from "node:fs";
import path from "node:path";
import {
  ORG_ARCHIVE_FORMAT,
  ORG_ARCHIVE_MANIFEST,
  ORG_ARCHIVE_VERSION,
  orgArchiveFileSchema,
  orgArchiveManifestSchema,
  type OrgArchiveManifest,
} from "@/lib/portability/org-archive-format";
import { refuseImport } from "@/lib/portability/verify-export-signature";

const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;

/** Reads manifest.json: an org archive, of a version this Guildhall reads, of the manifest's shape. */
export function readOrgArchiveManifest(dir: string): { manifest: OrgArchiveManifest; signature: string } {
  const file = path.join(dir, ORG_ARCHIVE_MANIFEST);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw refuseImport(ORG_ARCHIVE_MANIFEST, `there is none in ${dir}`, "ARCHIVE_NOT_AN_ARCHIVE");
  }
  if (!stat.isFile() || stat.size > MANIFEST_MAX_BYTES)
    throw refuseImport(ORG_ARCHIVE_MANIFEST, "it is not a file of a manifest's size", "ARCHIVE_NOT_AN_ARCHIVE");
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw refuseImport(ORG_ARCHIVE_MANIFEST, "it is not JSON", "ARCHIVE_MALFORMED");
  }
  const outer = orgArchiveFileSchema.safeParse(raw);
  const inner = outer.success ? (outer.data.manifest as { format?: unknown; v?: unknown } | null) : null;
  if (!outer.success || inner?.format !== ORG_ARCHIVE_FORMAT)
    throw refuseImport(ORG_ARCHIVE_MANIFEST, `it is not a ${ORG_ARCHIVE_FORMAT} manifest`, "ARCHIVE_NOT_AN_ARCHIVE");
  if (typeof inner.v !== "number" || inner.v > ORG_ARCHIVE_VERSION)
    throw refuseImport(
      ORG_ARCHIVE_MANIFEST,
      `it is format version ${String(inner.v)}; this Guildhall reads version ${ORG_ARCHIVE_VERSION}`,
      "ARCHIVE_VERSION_UNSUPPORTED",
    );
  if (inner.v < ORG_ARCHIVE_VERSION)
    throw refuseImport(
      ORG_ARCHIVE_MANIFEST,
      `it is format version ${inner.v}, whose files carry no record hashes; this Guildhall reads version ${ORG_ARCHIVE_VERSION}: export the origin again with this release`,
      "ARCHIVE_VERSION_UNSUPPORTED",
    );
  const parsed = orgArchiveManifestSchema.safeParse(inner);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuseImport(`${ORG_ARCHIVE_MANIFEST} manifest.${issue.path.join(".")}`, issue.message, "ARCHIVE_MALFORMED");
  }
  return { manifest: parsed.data, signature: outer.data.signature };
}
