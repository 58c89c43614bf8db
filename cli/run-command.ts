import { ZodError } from "zod";
import { commands } from "./commands/index";
import { CliError, type CliCommand, type ParsedArgs } from "./command";
import { isAppError } from "@/lib/errors/app-error";

/** `--flag value`, `--flag=value` and bare `--flag` (true); everything else is positional. */
export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split("=", 2);
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
