import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { claimEmbeddedLock } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/**
 * Replaces the embedded database in DATA_DIR/pglite with a backup made by
 * backupEmbeddedDatabase. Refused while a portal (or any process) has the
 * database open. The database it replaces is kept beside it, renamed, so a
 * mistaken restore can be undone by hand. The restored copy is opened once
 * and read, so a damaged or foreign file fails here, not at the next start.
 */
export async function restoreEmbeddedDatabase(
  backup: Uint8Array,
  dataDir: string,
): Promise<{ migrations: number; replacedDir: string | undefined }> {
  fs.mkdirSync(dataDir, { recursive: true });
  claimEmbeddedLock(dataDir);
  const dir = path.join(dataDir, "pglite");
  const staging = path.join(dataDir, `pglite.restoring-${Date.now()}`);
  let migrations: number;
  try {
    const db = new PGlite(staging, { loadDataDir: new Blob([new Uint8Array(backup)]) });
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    migrations = rows[0].count;
    await db.close();
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new AppError("UNPROCESSABLE", {
      userMessage: `The file is not a backup of a Guildhall database: ${e instanceof Error ? e.message : String(e)}`,
      reason: "NOT_A_BACKUP",
    });
  }
  let replacedDir: string | undefined;
  if (fs.existsSync(dir)) {
    replacedDir = path.join(dataDir, `pglite.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    fs.renameSync(dir, replacedDir);
  }
  fs.renameSync(staging, dir);
  return { migrations, replacedDir };
}
