import "server-only";
import type { JSONWebKeySet } from "jose";
import { z } from "zod";
import { ORG_ARCHIVE_MANIFEST, ORG_ARCHIVE_TYP, type OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { orgArchiveDigest } from "@/lib/portability/org-archive-files";
import { refuseImport, verifyExportSignature } from "@/lib/portability/verify-export-signature";
import type { RecordCheck } from "@/lib/portability/org-archive-checks/record-check";
import { readOrgArchiveManifest } from "@/lib/portability/org-archive-checks/read-manifest";
import { checkOrgArchiveFileList } from "@/lib/portability/org-archive-checks/file-list";
import { checkOrgArchiveCheckpoint } from "@/lib/portability/org-archive-checks/checkpoint";
import { verifyOrgArchiveFile } from "@/lib/portability/org-archive-checks/verify-file";
import { auditChainCheck } from "@/lib/portability/org-archive-checks/audit-chain";
import { logRootCheck } from "@/lib/portability/org-archive-checks/log-root";
import { ballotSignatureChecks } from "@/lib/portability/org-archive-checks/ballot-signatures";
import { ledgerBalanceCheck } from "@/lib/portability/org-archive-checks/ledger-balance";

export type VerifiedOrgArchive = { manifest: OrgArchiveManifest; digest: string; signature: string };

const signatureClaimsSchema = z.object({ digest: z.string(), issuer: z.string(), exportedAt: z.string() });

/**
 * Checks a whole-org archive before anything of it is written (`org import`), streaming each file once.
 * Refusals are UNPROCESSABLE, naming the file and, where one is at fault, the record. In order:
 * - manifest.json: an org archive, of a version this Guildhall reads, of the manifest's shape;
 * - its signature, by an export key the importer trusts, over this manifest's digest;
 * - the origin's database schema is this one's (`schemaMigration`);
 * - the files are exactly the archive's tables, in order;
 * - the log's checkpoint is signed by the origin's log key the manifest names;
 * - every file: its record hashes as the manifest says, then each record's SHA-256 is its record hash (a
 *   changed, cut, moved or added record is named here, by number and key, before any other problem of it),
 *   each line a JSON object, and the file's size, record count and SHA-256 as the manifest says;
 * - the audit history's hash chain, from the first event to the last;
 * - the log entries hash to the checkpoint's root at its size;
 * - every ballot's passkey signature, over its proposal's digest, for the relying party it was cast at;
 * - every ledger account's balance recomputed from the postings is the manifest's, and each currency sums to zero.
 */
export async function verifyOrgArchive(input: {
  dir: string;
  trustedExportKeys: JSONWebKeySet;
  targetMigration: string;
}): Promise<VerifiedOrgArchive> {
  const { manifest, signature } = readOrgArchiveManifest(input.dir);
  const digest = orgArchiveDigest(manifest);
  const { claims } = await verifyExportSignature({
    signature,
    typ: ORG_ARCHIVE_TYP,
    trusted: input.trustedExportKeys,
    claimsSchema: signatureClaimsSchema,
    expectedDigest: digest,
    reasonPrefix: "ARCHIVE",
    signedPart: ORG_ARCHIVE_MANIFEST,
  });
  if (claims.issuer !== manifest.origin.issuer || claims.exportedAt !== manifest.origin.exportedAt)
    throw refuseImport("signature", "it names another origin or time than the manifest", "ARCHIVE_TAMPERED");
  if (manifest.schemaMigration !== input.targetMigration)
    throw refuseImport(
      ORG_ARCHIVE_MANIFEST,
      `the archive's database schema is ${manifest.schemaMigration} and this Guildhall's is ${input.targetMigration}: bring the older one up to the other's release first`,
      "ARCHIVE_SCHEMA_MISMATCH",
    );
  checkOrgArchiveFileList(manifest);
  checkOrgArchiveCheckpoint(manifest);
  const checks = recordChecks(manifest);
  for (const file of manifest.files) await verifyOrgArchiveFile(input.dir, file, checks[file.table]);
  return { manifest, digest, signature };
}

/** Each table's record check, by table; a table without one is only measured. */
function recordChecks(manifest: OrgArchiveManifest): Record<string, RecordCheck> {
  return {
    AuditEvent: auditChainCheck(),
    LogEntry: logRootCheck(manifest.log),
    ...ballotSignatureChecks(manifest.origin),
    LedgerPosting: ledgerBalanceCheck(manifest.ledger.balances),
  };
}
