import "server-only";
import { engine } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/**
 * A copy of the embedded database: PGlite's own dump of its data directory
 * (a gzipped tar of PGDATA, the format `new PGlite({ loadDataDir })` reads
 * back). Taken after a checkpoint and inside a transaction of PGlite's, so
 * no other transaction of this process is half-way through while the files
 * are copied. On PostgreSQL, back up with pg_dump or pgBackRest instead
 * (docs/DEPLOY.md, "Backups").
 */
export async function backupEmbeddedDatabase(): Promise<Uint8Array> {
  const e = engine();
  if (e.kind !== "pglite") {
    throw new AppError("UNPROCESSABLE", {
      userMessage:
        'db backup copies the embedded database; on PostgreSQL use pg_dump or pgBackRest (docs/DEPLOY.md, "Backups").',
      reason: "NOT_EMBEDDED",
    });
  }
  await e.pglite.exec("CHECKPOINT");
  const dump = await e.pglite.transaction(async () => e.pglite.dumpDataDir("gzip"));
  return new Uint8Array(await dump.arrayBuffer());
}
