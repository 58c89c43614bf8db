import "server-only";
import fs from "node:fs";
import path from "node:path";
import { CompactSign } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import { relyingParty } from "@/lib/auth/relying-party";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";
import { parseNote } from "@/lib/merkle/signed-note";
import { canonicalLogJson } from "@/lib/transparency/build-log-entry";
import { integrateWholeLog } from "@/lib/transparency/integrate-whole-log";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import {
  ORG_ARCHIVE_FORMAT,
  ORG_ARCHIVE_MANIFEST,
  ORG_ARCHIVE_NOT_EXPORTED,
  ORG_ARCHIVE_TABLES,
  ORG_ARCHIVE_TYP,
  ORG_ARCHIVE_VERSION,
  orgArchiveManifestSchema,
  type ArchiveTable,
  type OrgArchiveManifest,
} from "@/lib/portability/org-archive-format";
import {
  ArchiveFileWriter,
  latestMigration,
  orgArchiveDigest,
  quoted,
  tableColumns,
} from "@/lib/portability/org-archive-files";
import { limits } from "@/lib/config/limits";

export type OrgExportResult = { dir: string; digest: string; files: number; records: number; logSize: number };

/**
 * `org export DIR`: the whole org, to run a fork (docs/EXPORTS.md). The log is integrated first, so the
 * archive ends at a signed checkpoint; then every table of the archive is streamed from one repeatable-read
 * snapshot to its NDJSON file, with its record hashes beside it (a cursor, a few thousand rows at a time:
 * never a table in memory), and the manifest (each file's SHA-256, count and size and its record hashes',
 * the log's checkpoint, the ledger's balances) is signed
 * with the export key. No private key, secret or credential is written (org-archive-format.ts says what
 * stays and why). The export is recorded in the audit history with the manifest's digest.
 */
export async function exportOrgArchive(input: { dir: string; actor: Actor }): Promise<OrgExportResult> {
  prepareDirectory(input.dir);
  // First, since making the export key on first use is an event of its own.
  const signingKey = await getActiveSigningKey("export");
  // In the integrator's own batches, until nothing is left: the archive ends at a checkpoint of every event
  // (but those appended meanwhile, which the fork integrates after them).
  await integrateWholeLog();
  const verifierKey = await findLogVerifierKey();
  if (!verifierKey) throw new Error("the log has no key after integration");
  const rp = relyingParty();
  const exportedAt = new Date().toISOString();

  const manifest: OrgArchiveManifest = orgArchiveManifestSchema.parse(
    await db().$transaction(
      async (tx) => {
        const checkpoint = await tx.logCheckpoint.findFirst({ orderBy: { size: "desc" } });
        if (!checkpoint) throw new Error("the log has no checkpoint after integration");
        const parsed = parseCheckpointText(parseNote(checkpoint.note).text);
        const files = [];
        for (const table of ORG_ARCHIVE_TABLES) files.push({ ...(await exportTable(tx, input.dir, table)) });
        const entries = files.find((f) => f.table === "LogEntry")?.records;
        if (entries !== parsed.size)
          throw new Error(`the snapshot holds ${entries} log entries but its latest checkpoint ${parsed.size}`);
        return {
          format: ORG_ARCHIVE_FORMAT,
          v: ORG_ARCHIVE_VERSION,
          schemaMigration: await latestMigration(tx),
          origin: { issuer: env().publicUrl, rpId: rp.rpID, rpOrigin: rp.origin, exportedAt },
          log: {
            origin: parsed.origin,
            verifierKey,
            size: parsed.size,
            rootHash: parsed.rootHash.toString("hex"),
            checkpoint: checkpoint.note,
          },
          ledger: { balances: await ledgerBalances(tx) },
          files,
          notExported: ORG_ARCHIVE_NOT_EXPORTED,
        };
      },
      { isolationLevel: "RepeatableRead", timeout: limits.portability.exportSnapshotTimeoutMs },
    ),
  );
  const digest = orgArchiveDigest(manifest);
  const claims = { digest, issuer: manifest.origin.issuer, exportedAt };
  const signature = await new CompactSign(new TextEncoder().encode(canonicalLogJson(claims)))
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: ORG_ARCHIVE_TYP })
    .sign(signingKey.privateKey);
  fs.writeFileSync(
    path.join(input.dir, ORG_ARCHIVE_MANIFEST),
    `${JSON.stringify({ manifest, signature }, null, 2)}\n`,
    { flag: "wx" },
  );
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      actor: input.actor,
      action: "org.exported",
      subject: { type: "organization", id: "guildhall" },
      state: { digest, logSize: manifest.log.size },
      data: { digest, logSize: manifest.log.size, files: manifest.files.length },
    }),
  );
  return {
    dir: input.dir,
    digest,
    files: manifest.files.length,
    records: manifest.files.reduce((n, f) => n + f.records, 0),
    logSize: manifest.log.size,
  };
}

/** An archive goes into a new or empty directory: never over another archive's files. */
function prepareDirectory(dir: string): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory())
      throw new AppError("CONFLICT", { reason: "ARCHIVE_DIR_NOT_EMPTY", userMessage: `${dir} is not a directory` });
    if (fs.readdirSync(dir).length > 0)
      throw new AppError("CONFLICT", {
        reason: "ARCHIVE_DIR_NOT_EMPTY",
        userMessage: `${dir} is not empty: give a new or empty directory`,
      });
  }
  fs.mkdirSync(dir, { recursive: true });
}

async function exportTable(tx: Tx, dir: string, table: ArchiveTable) {
  const omitted = new Set(table.omit ?? []);
  const columns = (await tableColumns(tx, table.table)).filter((c) => !omitted.has(c.name));
  const companion = table.companion;
  const companionColumns = companion
    ? (await tableColumns(tx, companion.table)).filter((c) => companion.columns.includes(c.name))
    : [];
  const owner = (c: string) => quoted(companion?.columns.includes(c) ? companion.table : table.table);
  const select = [...columns, ...companionColumns].map(
    (c) => `${owner(c.name)}.${quoted(c.name)}${c.bigint ? `::text AS ${quoted(c.name)}` : ""}`,
  );
  const cursor = `org_export_${table.table.toLowerCase()}`;
  await tx.$executeRawUnsafe(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT row_to_json(t)::text AS line FROM (
         SELECT ${select.join(", ")} FROM ${quoted(table.table)}
         ${companion ? `LEFT JOIN ${quoted(companion.table)} ON ${quoted(companion.table)}.${quoted(companion.key)} = ${quoted(table.table)}."id"` : ""}
         ${table.where ? `WHERE ${table.where}` : ""}
         ORDER BY ${table.orderBy.map((c) => `${owner(c)}.${quoted(c)}`).join(", ")}) t`,
  );
  const writer = new ArchiveFileWriter(path.join(dir, table.file));
  for (;;) {
    const rows = await tx.$queryRawUnsafe<{ line: string }[]>(
      `FETCH ${limits.portability.exportFetchRows} FROM ${cursor}`,
    );
    if (rows.length > 0) await writer.write(rows.map((r) => r.line));
    if (rows.length < limits.portability.exportFetchRows) break;
  }
  await tx.$executeRawUnsafe(`CLOSE ${cursor}`);
  return { name: table.file, table: table.table, ...(await writer.close()) };
}

async function ledgerBalances(tx: Tx) {
  return tx.$queryRawUnsafe<{ accountId: string; currency: string; balanceMinor: string }[]>(
    `SELECT "accountId", "currency", sum("amountMinor")::text AS "balanceMinor"
       FROM "LedgerPosting" GROUP BY "accountId", "currency" ORDER BY "accountId", "currency"`,
  );
}
