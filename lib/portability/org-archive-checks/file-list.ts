import "server-only";
import {
  ORG_ARCHIVE_MANIFEST,
  ORG_ARCHIVE_TABLES,
  type OrgArchiveManifest,
} from "@/lib/portability/org-archive-format";
import { refuseImport } from "@/lib/portability/verify-export-signature";

/** The manifest lists exactly the archive's tables, in order. */
export function checkOrgArchiveFileList(manifest: OrgArchiveManifest): void {
  const expected = ORG_ARCHIVE_TABLES.map((t) => `${t.file}:${t.table}`);
  const listed = manifest.files.map((f) => `${f.name}:${f.table}`);
  const missing = expected.find((e) => !listed.includes(e));
  if (missing) throw refuseImport(ORG_ARCHIVE_MANIFEST, `it lists no ${missing.split(":")[0]}`, "ARCHIVE_INCOMPLETE");
  const extra = listed.find((l) => !expected.includes(l));
  if (extra)
    throw refuseImport(
      ORG_ARCHIVE_MANIFEST,
      `it lists ${extra.split(":")[0]}, which is not an archive table`,
      "ARCHIVE_MALFORMED",
    );
  if (expected.join() !== listed.join())
    throw refuseImport(ORG_ARCHIVE_MANIFEST, "its files are not in the archive's order", "ARCHIVE_MALFORMED");
}
