import { type CliIo, runWithCliIo } from "./io";
import { describeCliError, findCommand, helpText, parseArgs } from "./run-command";
import { forwardToRunningPortal } from "./admin-client";

/**
 * What `npm run cli -- <argv>` does once the process is set up (cli/main.ts): runs the command on the
 * database, or through the portal that has the embedded one open, its output to `io` and a failure as
 * one `error: …` line to `stderr`, and returns the exit status. The integration tests call it in-process,
 * as the process does, and start the real process only for what only a process shows.
 */
export async function runCli(argv: string[], io: CliIo, stderr: (text: string) => void): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.flags.help) {
      io.stdout(`${helpText(args.positionals)}\n`);
      return 0;
    }
    if (args.positionals.length === 0) {
      io.stdout(`${helpText([])}\n`);
      return 1;
    }
    const { command, rest } = findCommand(args);
    if (command.needsDatabase?.(rest) ?? true) {
      const forwarded = await forwardToRunningPortal(argv, io, stderr);
      if (forwarded !== undefined) return forwarded;
      // A migration or a backup takes the database as it is; every other command migrates it first.
      if (command.name !== "db migrate" && command.name !== "db backup") {
        const { prepareDatabase } = await import("@/lib/db/prepare-database");
        await prepareDatabase();
      }
    }
    await runWithCliIo(io, () => command.run(rest));
    return io.exitCode;
  } catch (e) {
    const { message, exitCode } = describeCliError(e);
    stderr(`error: ${message}\n`);
    return exitCode;
  }
}
