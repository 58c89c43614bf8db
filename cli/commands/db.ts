import fs from "node:fs";
import type { CliCommand } from "../command";
import { CliError, output } from "../command";
import { cliIo } from "../io";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { backupEmbeddedDatabase } from "@/lib/db/backup-embedded-database";
import { restoreEmbeddedDatabase } from "@/lib/db/restore-embedded-database";
import { env } from "@/lib/config/env";

export const dbMigrate: CliCommand = {
  name: "db migrate",
  summary: "apply committed migrations to the database",
  usage: "db migrate [--json]",
  async run(args) {
    const applied = await prepareDatabase();
    output(args, { applied }, () => (applied.length ? applied.map((m) => `applied ${m}`) : ["database is up to date"]));
  },
};

function fileArg(positionals: string[], verb: string): string {
  const file = positionals[0];
  if (!file) throw new CliError(`db ${verb} needs a FILE`);
  return file;
}

export const dbBackup: CliCommand = {
  name: "db backup",
  summary: "copy the embedded database to FILE (gzipped tar of its data folder), also while the portal runs",
  usage: "db backup FILE [--json]",
  async run(args) {
    const file = fileArg(args.positionals, "backup");
    const backup = await backupEmbeddedDatabase();
    cliIo().writeFile(file, backup);
    output(args, { file, bytes: backup.byteLength }, () => [
      `backup of the embedded database written to ${file} (${backup.byteLength} bytes)`,
    ]);
  },
};

export const dbRestore: CliCommand = {
  name: "db restore",
  summary: "replace the embedded database with a backup from db backup (the portal stopped)",
  usage: "db restore FILE [--json]",
  // It opens no database before it runs: it replaces the embedded one's files itself.
  needsDatabase: () => false,
  async run(args) {
    const file = fileArg(args.positionals, "restore");
    if (!env().embedded)
      throw new CliError(
        "db restore replaces the embedded database; DATABASE_URL is set: restore PostgreSQL with pg_restore or your backup tool (docs/DEPLOY.md).",
      );
    if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
    const restored = await restoreEmbeddedDatabase(new Uint8Array(fs.readFileSync(file)), env().dataDir);
    output(args, restored, () => [
      `restored the embedded database from ${file} (${restored.migrations} migrations applied in it; newer ones apply at the next start)`,
      ...(restored.replacedDir ? [`the database it replaced is kept in ${restored.replacedDir}`] : []),
    ]);
  },
};
