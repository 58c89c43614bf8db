import "server-only";
import { createPrivateKey } from "node:crypto";
import path from "node:path";
import type { JSONWebKeySet } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { rawStatement } from "@/lib/db/raw-statement";
import { newId } from "@/lib/ids";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { createSigningKey, generateSigningKeyMaterial } from "@/lib/keys/create-signing-key";
import { unseal } from "@/lib/keys/seal";
import { formatCheckpointText } from "@/lib/merkle/checkpoint";
import { formatNote, signNoteText } from "@/lib/merkle/signed-note";
import { integrateWholeLog } from "@/lib/transparency/integrate-whole-log";
import { logOrigin } from "@/lib/transparency/log-signer";
import { ORG_ARCHIVE_TABLES, type ArchiveTable, type OrgArchiveManifest } from "@/lib/portability/org-archive-format";
import { ArchiveFileReader, latestMigration, quoted, tableColumns } from "@/lib/portability/org-archive-files";
import { describeDifference } from "@/lib/portability/org-archive-checks/verify-file";
import { verifyOrgArchive } from "@/lib/portability/verify-org-archive";
import { refuseImport } from "@/lib/portability/verify-export-signature";
import { limits } from "@/lib/config/limits";

// The scratch table the archive is copied into before the transaction (its columns: file, n, line).
const STAGING = '"_guildhall_org_import"';

export type OrgImportResult = {
  origin: string;
  digest: string;
  records: number;
  originLogSize: number;
  forkLogSize: number;
};

/**
 * `org import DIR`: makes this empty Guildhall a fork of the archive's origin (docs/EXPORTS.md). All of the
 * archive is verified first (verifyOrgArchive: signature, every file's hash, the audit chain, the log's
 * root, every ballot, the ledger's balances); then one transaction refuses a database that holds anything
 * and writes every file (copied first into a scratch table, each hashed again as it is read: a file changed
 * since its check is refused before anything is written), the origin's keys and CAs as predecessors (retired, without private keys), a ForkOrigin row, the
 * fork's own log key, the fork's first checkpoint (at the origin's size, with the origin's root: the same
 * tree, now vouched for by the fork's key) and the `org.forked` event naming the origin's checkpoint.
 * After the commit the log integrates that event: the fork's log opens with it.
 */
export async function importOrgArchive(input: {
  dir: string;
  trustedExportKeys: JSONWebKeySet;
  actor: Actor;
}): Promise<OrgImportResult> {
  const targetMigration = await db().$transaction((tx) => latestMigration(tx));
  const { manifest, digest } = await verifyOrgArchive({ ...input, targetMigration });
  // The fork tells its records from the origin's by when they were made (before or after its import: ballots
  // are signed for the origin's relying party before, its own after), so its clock must not run behind the origin's.
  if (new Date(manifest.origin.exportedAt) > new Date())
    throw refuseImport(
      "manifest.json",
      `exported at ${manifest.origin.exportedAt}, later than this Guildhall's clock (${new Date().toISOString()}): set its clock right first`,
      "ARCHIVE_CLOCK_BEHIND",
    );
  // Made before the transaction, as every key is: generating one must not hold it open.
  const logKey = await generateSigningKeyMaterial("log");

  await db().$transaction((tx) => assertEmpty(tx));
  try {
    await stageArchive(input.dir, manifest);
    await writeFork(manifest, digest, logKey, input.actor);
  } finally {
    await rawStatement(`DROP TABLE IF EXISTS ${STAGING}`, []);
  }
  const forkLogSize = (await integrateWholeLog()).size;
  return {
    origin: manifest.origin.issuer,
    digest,
    records: manifest.files.reduce((n, f) => n + f.records, 0),
    originLogSize: manifest.log.size,
    forkLogSize,
  };
}

/**
 * Copies every file into a scratch table, each hashed again as it is read (one changed since its check is
 * refused), in batches past Prisma (lib/db/raw-statement.ts): what the transaction then writes comes from
 * here, table by table, in one statement each, never from the files again.
 */
async function stageArchive(dir: string, manifest: OrgArchiveManifest): Promise<void> {
  await rawStatement(`DROP TABLE IF EXISTS ${STAGING}`, []);
  await rawStatement(
    `CREATE UNLOGGED TABLE ${STAGING} (file text NOT NULL, n integer NOT NULL, line text NOT NULL)`,
    [],
  );
  for (const listed of manifest.files) {
    const reader = new ArchiveFileReader(path.join(dir, listed.name));
    let batch: string[] = [];
    let chars = 0;
    let staged = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await rawStatement(
        `INSERT INTO ${STAGING} (file, n, line) SELECT $1, $2 + i, line FROM unnest($3::text[]) WITH ORDINALITY AS u(line, i)`,
        [listed.name, staged, batch],
      );
      staged += batch.length;
      batch = [];
      chars = 0;
    };
    for await (const { line } of reader.lines()) {
      batch.push(line);
      chars += line.length;
      if (batch.length >= limits.portability.importBatchRecords || chars >= limits.portability.importBatchChars)
        await flush();
    }
    await flush();
    const differs = describeDifference(reader.measure(), listed);
    if (differs)
      throw refuseImport(
        listed.name,
        `${differs}: it changed after it was verified; nothing was written`,
        "ARCHIVE_TAMPERED",
      );
  }
}

/** The one transaction: every table from the scratch copy, then what makes this database the fork. */
async function writeFork(
  manifest: OrgArchiveManifest,
  digest: string,
  logKey: Awaited<ReturnType<typeof generateSigningKeyMaterial>>,
  actor: Actor,
): Promise<void> {
  await db().$transaction(
    async (tx) => {
      await assertEmpty(tx);
      for (const table of ORG_ARCHIVE_TABLES) await writeTable(tx, table, manifest);
      await advanceSequences(tx);
      await tx.forkOrigin.create({
        data: {
          id: newId("frk"),
          issuer: manifest.origin.issuer,
          rpId: manifest.origin.rpId,
          rpOrigin: manifest.origin.rpOrigin,
          logOrigin: manifest.log.origin,
          logVerifierKey: manifest.log.verifierKey,
          treeSize: BigInt(manifest.log.size),
          rootHash: manifest.log.rootHash,
          checkpoint: manifest.log.checkpoint,
          manifestDigest: digest,
          exportedAt: new Date(manifest.origin.exportedAt),
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "org.forked",
        subject: { type: "organization", id: "guildhall" },
        state: { origin: manifest.origin.issuer, treeSize: manifest.log.size, rootHash: manifest.log.rootHash },
        data: {
          origin: manifest.origin.issuer,
          originLog: manifest.log.origin,
          treeSize: manifest.log.size,
          rootHash: manifest.log.rootHash,
          exportedAt: manifest.origin.exportedAt,
          manifestDigest: digest,
        },
      });
      await createSigningKey(tx, { purpose: "log", material: logKey, actor });
      await signFirstCheckpoint(tx, manifest, logKey.privateSealed);
    },
    { timeout: limits.portability.importWriteTimeoutMs, maxWait: 60_000 },
  );
}

/** Only a database that holds nothing of any kind the archive brings (nor any checkpoint) becomes a fork. */
async function assertEmpty(tx: Tx): Promise<void> {
  for (const table of [...ORG_ARCHIVE_TABLES.map((t) => t.table), "LogCheckpoint"]) {
    const rows = await tx.$queryRawUnsafe<{ any: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${quoted(table)}) AS "any"`,
    );
    if (rows[0]?.any)
      throw new AppError("CONFLICT", {
        reason: "TARGET_NOT_EMPTY",
        userMessage: `this database is not empty (table ${table} has rows): a fork is imported into a new, migrated database before its portal first starts`,
      });
  }
}

async function writeTable(tx: Tx, table: ArchiveTable, manifest: OrgArchiveManifest) {
  const columns = (await tableColumns(tx, table.table)).map((c) => c.name);
  const expressions = columns.map((c) => {
    const override = table.onImport?.[c];
    return override ? `${override(manifest.origin.exportedAt)} AS ${quoted(c)}` : quoted(c);
  });
  await tx.$executeRawUnsafe(
    `INSERT INTO ${quoted(table.table)} (${columns.map(quoted).join(", ")})
      SELECT ${expressions.join(", ")}
        FROM ${STAGING} s CROSS JOIN LATERAL json_populate_record(NULL::${quoted(table.table)}, s.line::json)
       WHERE s.file = $1 ORDER BY s.n`,
    table.file,
  );
  const companion = table.companion;
  if (!companion) return;
  // The companion's rows, from the same records: those that carry its columns (an event the sequencer had
  // placed), keyed to the record's id.
  const companionColumns = (await tableColumns(tx, companion.table)).map((c) => c.name);
  const companionExpressions = companionColumns.map((c) => {
    if (c === companion.key) return `r."id" AS ${quoted(c)}`;
    const override = companion.onImport[c];
    return override ? `${override(manifest.origin.exportedAt)} AS ${quoted(c)}` : `c.${quoted(c)}`;
  });
  await tx.$executeRawUnsafe(
    `INSERT INTO ${quoted(companion.table)} (${companionColumns.map(quoted).join(", ")})
      SELECT ${companionExpressions.join(", ")}
        FROM ${STAGING} s CROSS JOIN LATERAL json_populate_record(NULL::${quoted(table.table)}, s.line::json) r
          CROSS JOIN LATERAL json_populate_record(NULL::${quoted(companion.table)}, s.line::json) c
       WHERE s.file = $1 AND c.${quoted(companion.columns[0])} IS NOT NULL ORDER BY s.n`,
    table.file,
  );
}

/** Serial columns continue after the imported rows' largest value, so the fork's next row takes a new id. */
async function advanceSequences(tx: Tx): Promise<void> {
  const serials = await tx.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  const imported = new Set(ORG_ARCHIVE_TABLES.map((t) => t.table));
  for (const { table_name, column_name } of serials) {
    if (!imported.has(table_name)) continue;
    await tx.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence($1, $2), greatest((SELECT max(${quoted(column_name)}) FROM ${quoted(table_name)}), 1))`,
      quoted(table_name),
      column_name,
    );
  }
}

/**
 * The fork's log starts where the origin's checkpoint ended: the same entries, so the same root, now
 * signed by the fork's own log key under the fork's own log name. Anyone can compare it with the origin's
 * checkpoint, which the `org.forked` entry names.
 */
async function signFirstCheckpoint(tx: Tx, manifest: OrgArchiveManifest, privateSealed: string): Promise<void> {
  const privateKey = createPrivateKey(unseal("signing-key-log", privateSealed).toString("utf8"));
  const rootHash = Buffer.from(manifest.log.rootHash, "hex");
  const name = logOrigin();
  const text = formatCheckpointText({ origin: name, size: manifest.log.size, rootHash });
  const note = formatNote(text, [signNoteText(text, name, privateKey)]);
  await tx.logCheckpoint.create({
    data: { size: BigInt(manifest.log.size), rootHash: new Uint8Array(rootHash), note },
  });
}
