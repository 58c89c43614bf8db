import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { commands } from "@/cli/commands/index";
import { CliError } from "@/cli/command";
import { runWithCliIo, type CliIo } from "@/cli/io";
import { describeCliError, findCommand, parseArgs } from "@/cli/run-command";
import { isAppError } from "@/lib/errors/app-error";
import { rowCounts } from "../../support/route-harness";
import {
  hostileDates,
  hostileFiles,
  hostileNumbers,
  hostileText,
  readsFile,
  slotsOf,
  writesFile,
  type CliSlot,
} from "../../support/hostile-cli";
import { seedOrg, seedUser } from "../../support/factories";

/**
 * The CLI half of the hostile suite: every command of cli/commands/index.ts,
 * every input its usage line names, every hostile value that fits it (text
 * for all, numbers and dates where they are asked for, broken files where a
 * file is read). Run in this process, as the portal's admin server runs a
 * forwarded command. Each must end in a clear refusal (a CliError, a
 * validation error or an AppError: one line, exit 1, never a stack trace or
 * a raw driver error), and no table's row count may change.
 */

// Commands that replace or reshape the database itself, or set the test clock: not run on a shared test database.
const NOT_RUN = new Set(["db migrate", "db backup", "db restore", "db seed", "governance clock advance"]);

let defaults: Record<string, string> = {};
let files: Record<string, string> = {};

beforeAll(async () => {
  const { user } = await seedUser();
  const { org } = await seedOrg({ kind: "HOST" });
  files = hostileFiles();
  // Good values for the inputs that are not under attack, so a command reaches the one that is.
  defaults = {
    email: user.email,
    to: user.email,
    reason: "hostile input suite",
    role: "MEMBER",
    org: org.slug,
    host: org.slug,
    theater: org.slug,
    name: "Hostile suite",
    currency: "EUR",
    "redirect-uri": "https://rp.example/cb",
  };
});

type Outcome = { clear: boolean; exitCode: number; message: string; error?: unknown };

async function run(argv: string[]): Promise<Outcome> {
  const io: CliIo = { stdout: () => undefined, writeFile: () => undefined, exitCode: 0 };
  try {
    const { command, rest } = findCommand(parseArgs(argv));
    await runWithCliIo(io, () => command.run(rest));
    return { clear: true, exitCode: io.exitCode, message: "" };
  } catch (e) {
    const { message, exitCode } = describeCliError(e);
    const clear = e instanceof CliError || e instanceof ZodError || isAppError(e);
    return { clear, exitCode, message, error: e };
  }
}

function valuesFor(slot: CliSlot): Record<string, string> {
  if (readsFile(slot)) return { ...hostileText, ...files };
  if (writesFile(slot)) return hostileText;
  if (slot.placeholder === "SECONDS" || /days|hours|ttl|version|minor|price/.test(slot.name))
    return { ...hostileText, ...hostileNumbers };
  if (/ISO|DATE/.test(slot.placeholder)) return { ...hostileText, ...hostileDates };
  return hostileText;
}

/**
 * argv for a command with `value` in `target`, and in its other inputs a good
 * value where one is known, nothing where the input is optional, a
 * placeholder otherwise.
 */
function argvWith(command: (typeof commands)[number], slots: CliSlot[], target: CliSlot, value: string): string[] {
  const argv = command.name.split(" ");
  for (const slot of slots) {
    if (slot !== target && slot.optional && defaults[slot.name] === undefined) continue;
    const v = slot === target ? value : (defaults[slot.name] ?? `${slot.name}_1`);
    if (slot.kind === "positional") argv.push(v);
    else argv.push(`--${slot.name}=${v}`);
  }
  return argv;
}

const attacked = commands.filter((c) => !NOT_RUN.has(c.name) && slotsOf(c).length > 0);

describe("hostile input to the CLI", () => {
  it("covers every command that takes input", () => {
    expect(attacked.length).toBeGreaterThan(25);
    expect(attacked.map((c) => c.name)).toEqual(
      expect.arrayContaining(["licenses verify", "audit verify", "governance verify"]),
    );
    // A value may itself contain "=": only the first one ends the flag's name.
    expect(parseArgs(["--reason=a=b"]).flags.reason).toBe("a=b");
  });

  it.each(attacked.map((c) => [c.name, c] as const))(
    "%s: every hostile input is a clear refusal that changes nothing",
    async (_name, command) => {
      const slots = slotsOf(command);
      const before = await rowCounts();
      const unclear: string[] = [];
      for (const slot of slots)
        for (const [label, value] of Object.entries(valuesFor(slot))) {
          const outcome = await run(argvWith(command, slots, slot, value));
          const where = `${slot.kind} ${slot.name} = ${label}`;
          if (outcome.exitCode === 0 && !outcome.error) unclear.push(`${where}: accepted`);
          else if (!outcome.clear || outcome.message.includes("\n") || outcome.message.length > 500)
            unclear.push(
              `${where}: ${outcome.error instanceof Error ? outcome.error.constructor.name : "?"}: ${outcome.message.slice(0, 200)}`,
            );
        }
      expect(unclear, unclear.join("\n")).toEqual([]);
      expect(await rowCounts()).toEqual(before);
    },
  );
});
