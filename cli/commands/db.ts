import type { CliCommand } from "../command";
import { output } from "../command";
import { prepareDatabase } from "@/lib/db/prepare-database";

export const dbMigrate: CliCommand = {
  name: "db migrate",
  summary: "apply committed migrations to the database",
  usage: "db migrate [--json]",
  async run(args) {
    const applied = await prepareDatabase();
    output(args, { applied }, () => (applied.length ? applied.map((m) => `applied ${m}`) : ["database is up to date"]));
  },
};
