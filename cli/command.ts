import { cliIo } from "./io";

/**
 * A CLI verb: `npm run cli -- <name...> [--flag value] [--json]`. Commands
 * print plain lines by default and one JSON document with --json; an expected
 * failure is a CliError (one line on stderr, exit 1).
 */
export type ParsedArgs = { positionals: string[]; flags: Record<string, string | true> };

export type CliCommand = {
  name: string; // "users create"
  summary: string;
  usage: string;
  run: (args: ParsedArgs) => Promise<void>;
  /** False for runs that never touch the database (verifying an export file), so they work while the embedded database is open elsewhere. Default: true. */
  needsDatabase?: (args: ParsedArgs) => boolean;
};

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function flag(args: ParsedArgs, name: string, required: true): string;
export function flag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function flag(args: ParsedArgs, name: string, required = false): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new CliError(`--${name} needs a value`);
  if (v === undefined && required) throw new CliError(`--${name} is required`);
  return v;
}

export function wantsJson(args: ParsedArgs): boolean {
  return args.flags.json === true;
}

/** Prints data as JSON with --json, or as the given lines otherwise. */
export function output(args: ParsedArgs, data: unknown, lines: () => string[]): void {
  if (wantsJson(args))
    cliIo().stdout(`${JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  else cliIo().stdout(`${lines().join("\n")}\n`);
}
