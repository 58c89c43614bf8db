import "./log-to-stderr";
import { processIo } from "./io";
import { describeCliError, findCommand, helpText, parseArgs } from "./run-command";
import { forwardToRunningPortal } from "./admin-client";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";
import { adoptRecordedPortalOrigin } from "@/lib/config/recorded-portal-origin";

/**
 * The operator CLI: `npm run cli -- <verb> [flags]`. It works on the database
 * named by DATABASE_URL, or on the embedded one in DATA_DIR: directly when no
 * portal has it open, otherwise through that portal (cli/admin-client.ts).
 * Without PUBLIC_URL (or PORT) it takes the public URL the portal recorded in
 * DATA_DIR, so it signs and verifies under the portal's names.
 * Errors print one line and exit non-zero.
 */
async function main(): Promise<number> {
  // Before anything reads the environment: the public URL the portal on this DATA_DIR was started with.
  adoptRecordedPortalOrigin(process.env);
  // The CLI runs the same domain code as the portal: the same effects, fulfillers, hooks and claim sources.
  installComposition(portalComposition);
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.flags.help) {
    console.log(helpText(args.positionals));
    return 0;
  }
  if (args.positionals.length === 0) {
    console.log(helpText([]));
    return 1;
  }
  const { command, rest } = findCommand(args);
  if (command.needsDatabase?.(rest) ?? true) {
    const forwarded = await forwardToRunningPortal(argv);
    if (forwarded !== undefined) return forwarded;
    // A migration or a backup takes the database as it is; every other command migrates it first.
    if (command.name !== "db migrate" && command.name !== "db backup") {
      const { prepareDatabase } = await import("@/lib/db/prepare-database");
      await prepareDatabase();
    }
  }
  await command.run(rest);
  return processIo.exitCode;
}

main()
  .then(async (code) => {
    const { closeDb } = await import("@/lib/db/close-db");
    await closeDb().catch(() => {});
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    const { message, exitCode } = describeCliError(e);
    process.stderr.write(`error: ${message}\n`);
    process.exit(exitCode);
  });
