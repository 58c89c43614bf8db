import "./log-to-stderr";
import { processIo } from "./io";
import { runCli } from "./run-cli";
import { describeCliError } from "./run-command";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";
import { adoptRecordedPortalOrigin } from "@/lib/config/recorded-portal-origin";

/**
 * The operator CLI: `npm run cli -- <verb> [flags]`. It works on the database
 * named by DATABASE_URL, or on the embedded one in DATA_DIR: directly when no
 * portal has it open, otherwise through that portal (cli/admin-client.ts).
 * Without PUBLIC_URL (or PORT) it takes the public URL the portal recorded in
 * DATA_DIR, so it signs and verifies under the portal's names.
 * Errors print one line and exit non-zero (cli/run-cli.ts runs the command).
 */
async function main(): Promise<number> {
  // Before anything reads the environment: the public URL the portal on this DATA_DIR was started with.
  adoptRecordedPortalOrigin(process.env);
  // The CLI runs the same domain code as the portal: the same effects, fulfillers, hooks and claim sources.
  installComposition(portalComposition);
  return runCli(process.argv.slice(2), processIo, (text) => void process.stderr.write(text));
}

main()
  .then(async (code) => {
    const { closeDb } = await import("@/lib/db/close-db");
    await closeDb().catch(() => {});
    process.exit(code);
  })
  .catch((e: unknown) => {
    // Only setting the process up can get here: runCli reports a command's own failure as its exit status.
    const { message, exitCode } = describeCliError(e);
    process.stderr.write(`error: ${message}\n`);
    process.exit(exitCode);
  });
