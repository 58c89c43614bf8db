import "./log-to-stderr";
import { commands } from "./commands/index";
import { CliError, type ParsedArgs } from "./command";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors/app-error";
import { installComposition } from "@/lib/composition/composition";
import { portalComposition } from "@/lib/composition/portal-composition";

/**
 * The operator CLI: `npm run cli -- <verb> [flags]`. It works on the database
 * named by DATABASE_URL, or the embedded one in .data/ when the portal is not
 * running. Errors print one line and exit non-zero.
 */
function parse(argv: string[]): ParsedArgs {
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

function usage(): string {
  return [
    "usage: npm run cli -- <command> [flags]",
    "",
    ...commands.map((c) => `  ${c.usage.padEnd(60)} ${c.summary}`),
  ].join("\n");
}

async function main(): Promise<number> {
  // The CLI runs the same domain code as the portal: the same effects, fulfillers, hooks and claim sources.
  installComposition(portalComposition);
  const args = parse(process.argv.slice(2));
  if (args.positionals.length === 0 || args.flags.help) {
    console.log(usage());
    return args.positionals.length === 0 && !args.flags.help ? 1 : 0;
  }
  // The longest command name that prefixes the positionals wins ("users create" over "users").
  const command = commands
    .filter((c) => c.name.split(" ").every((w, i) => args.positionals[i] === w))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) throw new CliError(`unknown command "${args.positionals.join(" ")}"; run with --help for the list`);
  const rest = { ...args, positionals: args.positionals.slice(command.name.split(" ").length) };
  if (command.name !== "db migrate" && (command.needsDatabase?.(rest) ?? true)) {
    const { prepareDatabase } = await import("@/lib/db/prepare-database");
    await prepareDatabase();
  }
  await command.run(rest);
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

main()
  .then(async (code) => {
    const { closeDb } = await import("@/lib/db/close-db");
    await closeDb().catch(() => {});
    process.exit(code);
  })
  .catch(async (e: unknown) => {
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
    process.stderr.write(`error: ${message}\n`);
    process.exit(e instanceof CliError ? e.exitCode : 1);
  });
