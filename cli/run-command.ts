import { ZodError } from "zod";
import { commands } from "./commands/index";
import { CliError, type CliCommand, type ParsedArgs } from "./command";
import { isAppError } from "@/lib/errors/app-error";
import { unsafeTextReason } from "@/lib/http/untrusted-text";

// Longer than any id, address, reason or path an operator types; a value this long is a mistake or an attack.
const MAX_ARGUMENT_LENGTH = 4096;

/**
 * Refuses, before any command sees it, an argument no input of ours ever
 * carries: a control character (a NUL would reach PostgreSQL and fail there
 * as a driver error; an escape sequence would be printed back to the
 * terminal), a lone surrogate, or a value longer than MAX_ARGUMENT_LENGTH.
 * A shell cannot pass a NUL, but the admin server takes argv as JSON.
 */
function assertCleanArgument(arg: string): void {
  const shown = JSON.stringify(arg.slice(0, 40)).slice(1, -1);
  const reason = unsafeTextReason(arg);
  if (reason) throw new CliError(`the argument "${shown}" ${reason}`);
  if (arg.length > MAX_ARGUMENT_LENGTH)
    throw new CliError(`the argument "${shown}…" is longer than ${MAX_ARGUMENT_LENGTH} characters`);
}

/** `--flag value`, `--flag=value` and bare `--flag` (true); everything else is positional. */
export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (const a of argv) assertCleanArgument(a);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      // Split at the first "=" only: a value may contain one (`--reason=a=b`).
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (inline !== undefined) flags[name] = inline;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[name] = argv[++i];
      else flags[name] = true;
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function usage(): string {
  return [
    "usage: npm run cli -- <command> [flags]",
    "",
    ...commands.map((c) => `  ${c.usage.padEnd(60)} ${c.summary}`),
  ].join("\n");
}

/**
 * What --help prints: with a command named (`users create --help`), that command's usage line and what it does;
 * with none, the list of every command.
 */
export function helpText(positionals: string[]): string {
  if (positionals.length === 0) return usage();
  const { command } = findCommand({ positionals, flags: {} });
  return [`usage: npm run cli -- ${command.usage}`, "", command.summary].join("\n");
}

/** The command the positionals name (the longest match: "users create" over "users") and its own arguments. */
export function findCommand(args: ParsedArgs): { command: CliCommand; rest: ParsedArgs } {
  const command = commands
    .filter((c) => c.name.split(" ").every((w, i) => args.positionals[i] === w))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) throw new CliError(`unknown command "${args.positionals.join(" ")}"; run with --help for the list`);
  return { command, rest: { ...args, positionals: args.positionals.slice(command.name.split(" ").length) } };
}

/** The one line a failed command prints, and its exit status. */
export function describeCliError(e: unknown): { message: string; exitCode: number } {
  const message =
    e instanceof CliError
      ? e.message
      : e instanceof ZodError
        ? `invalid input: ${e.issues[0].path.join(".")}${e.issues[0].path.length ? ": " : ""}${e.issues[0].message}`
        : isAppError(e)
          ? e.userMessage
          : e instanceof Error
            ? e.message.split("\n")[0]
            : String(e);
  return { message, exitCode: e instanceof CliError ? e.exitCode : 1 };
}
