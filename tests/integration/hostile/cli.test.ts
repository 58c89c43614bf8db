import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { commands } from "@/cli/commands/index";
import { CliError } from "@/cli/command";
import { runWithCliIo, type CliIo } from "@/cli/io";
import { describeCliError, findCommand, helpText, parseArgs } from "@/cli/run-command";
import { isAppError } from "@/lib/errors/app-error";
import { rowCounts } from "../../support/route-harness";
import {
  hostileDates,
  hostileDirectories,
  hostileFiles,
  hostileNumbers,
  hostileText,
  readsDirectory,
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
let directories: Record<string, string> = {};

beforeAll(async () => {
  const { user } = await seedUser();
  const { org } = await seedOrg({ kind: "HOST" });
  files = hostileFiles();
  directories = hostileDirectories();
  const good = await goodInputFiles();
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
    // Files that pass the reading, so a command gets on to the input under attack (a document read first, keys).
    FILE: good.document,
    cert: good.certificate,
    root: good.certificate,
    // With a CRL given, licenses verify reads its --chain too.
    crl: good.crl,
    "origin-keys": good.keys,
  };
});

/** Readable files of the right kind but no standing here: a signed document, a certificate, a key set. */
async function goodInputFiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-cli-good-"));
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { extractable: true });
  const write = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  const jws = await new CompactSign(new TextEncoder().encode('{"license":"lic_x"}'))
    .setProtectedHeader({ alg: "EdDSA", kid: "elsewhere" })
    .sign(privateKey);
  return {
    document: write("document.jws", `${jws}\n`),
    certificate: write("cert.pem", "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n"),
    crl: write("crl.der", "0\u0003\u0002\u0001\u0000"),
    keys: write("keys.json", JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "elsewhere" }] })),
  };
}

type Outcome = { clear: boolean; exitCode: number; message: string; error?: unknown };

async function run(argv: string[]): Promise<Outcome> {
  const printed: string[] = [];
  const io: CliIo = { stdout: (text) => printed.push(text), writeFile: () => undefined, exitCode: 0 };
  try {
    const { command, rest } = findCommand(parseArgs(argv));
    await runWithCliIo(io, () => command.run(rest));
    // A verdict printed with exit 1 (licenses verify, audit verify): its last line is what the person reads.
    const lines = printed
      .join("\n")
      .split("\n")
      .filter((l) => l.trim() !== "");
    return { clear: true, exitCode: io.exitCode, message: lines.at(-1) ?? "" };
  } catch (e) {
    const { message, exitCode } = describeCliError(e);
    const clear = e instanceof CliError || e instanceof ZodError || isAppError(e);
    return { clear, exitCode, message, error: e };
  }
}

function valuesFor(commandName: string, slot: CliSlot): Record<string, string> {
  if (readsFile(slot)) return { ...hostileText, ...files };
  if (readsDirectory(commandName, slot)) return { ...hostileText, ...files, ...directories };
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
    // The files and archives commands read are attacked as files and directories, not only as text.
    const inputs = (name: string) => {
      const command = commands.find((c) => c.name === name);
      return command ? slotsOf(command) : [];
    };
    expect(inputs("org import").filter((s) => readsDirectory("org import", s))).toHaveLength(1);
    expect(inputs("org export").filter((s) => readsDirectory("org export", s))).toHaveLength(0);
    expect(
      inputs("licenses verify")
        .filter(readsFile)
        .map((s) => s.name),
    ).toEqual(expect.arrayContaining(["FILE", "cert", "jwks", "root", "crl", "chain"]));
    expect(
      inputs("theater import")
        .filter(readsFile)
        .map((s) => s.name),
    ).toEqual(["FILE", "origin-keys"]);
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
        for (const [label, value] of Object.entries(valuesFor(command.name, slot))) {
          const outcome = await run(argvWith(command, slots, slot, value));
          const where = `${slot.kind} ${slot.name} = ${label}`;
          if (process.env.HOSTILE_CLI_DEBUG)
            console.log(`${command.name} | ${where} | ${outcome.message.slice(0, 150)}`);
          // A refusal that names another input's placeholder never reached the one under attack.
          const blocker = slots.find((s) => s !== slot && outcome.message.includes(`${s.name}_1`));
          if (outcome.exitCode === 0 && !outcome.error) unclear.push(`${where}: accepted`);
          else if (blocker) unclear.push(`${where}: stopped at ${blocker.name} first (give it a good default)`);
          else if (
            !outcome.clear ||
            outcome.message.trim() === "" ||
            outcome.message.includes("\n") ||
            outcome.message.length > 500
          )
            unclear.push(
              `${where}: ${outcome.error instanceof Error ? outcome.error.constructor.name : "?"}: ${outcome.message.slice(0, 200)}`,
            );
        }
      expect(unclear, unclear.join("\n")).toEqual([]);
      expect(await rowCounts()).toEqual(before);
    },
  );
});

describe("--help", () => {
  it("lists every command under its own name, and shows a named command's usage and summary", () => {
    const list = helpText([]);
    for (const c of commands) {
      // A usage line that starts with another name sends the operator to a command that does not exist.
      expect(c.usage.startsWith(`${c.name} `) || c.usage === c.name, c.usage).toBe(true);
      expect(list).toContain(`  ${c.usage}`);
    }
    const [command] = commands.filter((c) => c.name === "users create");
    expect(helpText(["users", "create"])).toBe(`usage: npm run cli -- ${command.usage}\n\n${command.summary}`);
    expect(() => helpText(["users", "invent"])).toThrow(CliError);
  });
});
