import "server-only";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "@/lib/merkle/signed-note";
import { ORG_ARCHIVE_MANIFEST, type OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { refuseImport } from "@/lib/portability/verify-export-signature";

/** The log's checkpoint is signed by the origin's log key the manifest names, at the size and root it names. */
export function checkOrgArchiveCheckpoint(manifest: OrgArchiveManifest): void {
  const { log } = manifest;
  let ok = false;
  try {
    const key = parseVerifierKey(log.verifierKey);
    const c = parseCheckpointText(parseNote(log.checkpoint).text);
    ok =
      verifyNoteSignature(log.checkpoint, key) &&
      c.origin === log.origin &&
      c.size === log.size &&
      c.rootHash.toString("hex") === log.rootHash;
  } catch {
    ok = false;
  }
  if (!ok)
    throw refuseImport(
      `${ORG_ARCHIVE_MANIFEST} log.checkpoint`,
      "it is not the origin log's signed checkpoint of the size and root the manifest names",
      "ARCHIVE_LOG_INVALID",
    );
}
