import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { JSONWebKeySet } from "jose";
import { z } from "zod";
import { computeAuditEventHash, GENESIS_HASH, type AuditEventRecord } from "@/lib/audit/audit-event-hash";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "@/lib/merkle/signed-note";
import { appendToEdge, edgeRoot, type TileEdge } from "@/lib/merkle/tile-edge";
import { leafHash } from "@/lib/merkle/tree-hash";
import { verifyBallotAssertion } from "@/lib/governance/verifier/verify-ballot-assertion";
import type { BallotChoice } from "@/lib/governance/verifier/ballot-content";
import {
  ORG_ARCHIVE_FORMAT,
  ORG_ARCHIVE_MANIFEST,
  ORG_ARCHIVE_TABLES,
  ORG_ARCHIVE_TYP,
  ORG_ARCHIVE_VERSION,
  orgArchiveFileSchema,
  orgArchiveManifestSchema,
  type OrgArchiveManifest,
} from "@/lib/portability/org-archive-format";
import { ArchiveFileReader, orgArchiveDigest, type FileMeasure } from "@/lib/portability/org-archive-files";
import { refuseImport, verifyExportSignature } from "@/lib/portability/verify-export-signature";
import type { FailureReason } from "@/lib/errors/app-error";

export type VerifiedOrgArchive = { manifest: OrgArchiveManifest; digest: string; signature: string };

type Row = Record<string, unknown>;

/** A check that reads one file's records as they stream by; a problem names the record. */
type RecordCheck = { record: (row: Row, n: number) => string | null; end?: () => string | null };

const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;

const signatureClaimsSchema = z.object({ digest: z.string(), issuer: z.string(), exportedAt: z.string() });

/**
 * Checks a whole-org archive before anything of it is written (`org import`), streaming each file once.
 * Refusals are UNPROCESSABLE, naming the file and, where one is at fault, the record. In order:
 * - manifest.json: an org archive, of a version this Guildhall reads, of the manifest's shape;
 * - its signature, by an export key the importer trusts, over this manifest's digest;
 * - the origin's database schema is this one's (`schemaMigration`);
 * - the files are exactly the archive's tables, in order;
 * - the log's checkpoint is signed by the origin's log key the manifest names;
 * - every file: each line a JSON object, then its size, record count and SHA-256 as the manifest says
 *   (a truncated, reordered or changed file shows here, and is named before any other problem of it);
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
  const { manifest, signature } = readManifest(input.dir);
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
  checkFileList(manifest);
  checkCheckpoint(manifest);
  const checks = recordChecks(manifest);
  for (const file of manifest.files) await verifyFile(input.dir, file, checks[file.table]);
  return { manifest, digest, signature };
}

function readManifest(dir: string): { manifest: OrgArchiveManifest; signature: string } {
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
      `it is format version ${String(inner.v)}; this Guildhall reads version ${ORG_ARCHIVE_VERSION} and older`,
      "ARCHIVE_VERSION_UNSUPPORTED",
    );
  const parsed = orgArchiveManifestSchema.safeParse(inner);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuseImport(`${ORG_ARCHIVE_MANIFEST} manifest.${issue.path.join(".")}`, issue.message, "ARCHIVE_MALFORMED");
  }
  return { manifest: parsed.data, signature: outer.data.signature };
}

function checkFileList(manifest: OrgArchiveManifest): void {
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

function checkCheckpoint(manifest: OrgArchiveManifest): void {
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

async function verifyFile(dir: string, listed: OrgArchiveManifest["files"][number], check?: RecordCheck) {
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

/** A timestamp as row_to_json writes it (UTC, no zone, trailing zeros cut) in ISO 8601 with milliseconds. */
const instant = (value: unknown) => new Date(`${String(value)}Z`).toISOString();
const bytes = (value: unknown) => Buffer.from(String(value).replace(/^\\x/, ""), "hex");
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

function recordChecks(manifest: OrgArchiveManifest): Record<string, RecordCheck> {
  const relyingParties = [{ rpId: manifest.origin.rpId, origin: manifest.origin.rpOrigin }];
  const proposalDigests = new Map<string, string | null>();
  return {
    AuditEvent: auditChainCheck(),
    LogEntry: logRootCheck(manifest.log),
    // The origin may be a fork itself: ballots cast before its own fork were signed for its origin.
    ForkOrigin: {
      record: (row) => {
        relyingParties.push({ rpId: String(row.rpId), origin: String(row.rpOrigin) });
        return null;
      },
    },
    Proposal: {
      record: (row) => {
        proposalDigests.set(String(row.id), textOrNull(row.digest));
        return null;
      },
    },
    Ballot: {
      record: (row) => {
        const digest = proposalDigests.get(String(row.proposalId));
        if (!digest || digest !== row.proposalDigest)
          return `ballot ${row.id}: it is not over the digest of a proposal of the archive`;
        const content = {
          proposalId: String(row.proposalId),
          proposalDigest: digest,
          voterId: String(row.voterId),
          choice: Number(row.choice) as BallotChoice,
          justificationHash: String(row.justificationHash),
          castAt: instant(row.castAt),
        };
        const assertion = {
          authenticatorData: bytes(row.authenticatorData),
          clientDataJSON: bytes(row.clientDataJSON),
          signature: bytes(row.signature),
          publicKey: bytes(row.publicKey),
        };
        let last = "";
        for (const rp of relyingParties) {
          const verdict = verifyBallotAssertion(content, assertion, rp);
          if (verdict.ok) return null;
          last = verdict.detail;
        }
        return `ballot ${row.id}: its passkey signature does not verify (${last})`;
      },
    },
    LedgerPosting: ledgerBalanceCheck(manifest.ledger.balances),
  };
}

function auditChainCheck(): RecordCheck {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let pendingSeen = false;
  return {
    record: (row) => {
      // Appended but not yet placed in the chain by the sequencer: no seq or hash yet; the fork places them.
      if (row.seq === null || row.seq === undefined) {
        pendingSeen = true;
        return null;
      }
      if (pendingSeen) return `audit event ${String(row.id)}: a sequenced event after one still waiting for its place`;
      const record: AuditEventRecord = {
        seq: String(row.seq),
        id: String(row.id),
        occurredAt: instant(row.occurredAt),
        actorType: String(row.actorType),
        actorId: textOrNull(row.actorId),
        action: String(row.action),
        subjectType: String(row.subjectType),
        subjectId: String(row.subjectId),
        stateDigest: String(row.stateDigest),
        data: row.data ?? null,
        requestId: textOrNull(row.requestId),
        prevHash: String(row.prevHash),
      };
      const where = `audit event ${record.seq} (${record.id})`;
      if (record.seq !== expectedSeq.toString()) return `${where}: expected event ${expectedSeq}: events are missing`;
      if (record.prevHash !== prevHash) return `${where}: its prevHash is not the previous event's hash`;
      if (computeAuditEventHash(record) !== row.hash) return `${where}: its hash does not match its content`;
      prevHash = String(row.hash);
      expectedSeq += 1n;
      return null;
    },
  };
}

function logRootCheck(log: OrgArchiveManifest["log"]): RecordCheck {
  let edge: TileEdge = { size: 0, levels: [] };
  let pending: Buffer[] = [];
  let count = 0;
  const flush = () => {
    edge = appendToEdge(edge, pending).edge;
    pending = [];
  };
  return {
    record: (row) => {
      if (String(row.index) !== String(count)) return `log entry ${String(row.index)}: expected entry ${count}`;
      count += 1;
      pending.push(leafHash(Buffer.from(String(row.body))));
      if (pending.length >= 4096) flush();
      return null;
    },
    end: () => {
      flush();
      if (edge.size !== log.size) return `it holds ${edge.size} entries; the checkpoint covers ${log.size}`;
      if (edgeRoot(edge).toString("hex") !== log.rootHash)
        return "the entries do not hash to the root of the origin's signed checkpoint";
      return null;
    },
  };
}

function ledgerBalanceCheck(balances: OrgArchiveManifest["ledger"]["balances"]): RecordCheck {
  const sums = new Map<string, bigint>();
  return {
    record: (row) => {
      const key = `${String(row.accountId)} ${String(row.currency)}`;
      let amount: bigint;
      try {
        amount = BigInt(String(row.amountMinor));
      } catch {
        return `posting ${String(row.id)}: its amount is not an integer`;
      }
      sums.set(key, (sums.get(key) ?? 0n) + amount);
      return null;
    },
    end: () => {
      const byCurrency = new Map<string, bigint>();
      for (const b of balances) {
        const key = `${b.accountId} ${b.currency}`;
        if ((sums.get(key) ?? 0n) !== BigInt(b.balanceMinor))
          return `account ${b.accountId} (${b.currency}): its postings sum to ${sums.get(key) ?? 0n}, the manifest says ${b.balanceMinor}`;
        sums.delete(key);
        byCurrency.set(b.currency, (byCurrency.get(b.currency) ?? 0n) + BigInt(b.balanceMinor));
      }
      const unlisted = [...sums.keys()][0];
      if (unlisted) return `account ${unlisted}: it has postings but no balance in the manifest`;
      for (const [currency, total] of byCurrency)
        if (total !== 0n) return `the ${currency} postings sum to ${total}, not zero: the ledger does not balance`;
      return null;
    },
  };
}
