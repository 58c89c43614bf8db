import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CliCommand } from "@/cli/command";

/**
 * The inputs of every CLI command, read from its usage line, and the hostile
 * values to put in each: generated from the command list, not written one by
 * one, so a new command or flag is covered the day it is added.
 */

/** One input of a command: a flag with a value, or a positional. */
export type CliSlot = { kind: "flag" | "positional"; name: string; placeholder: string; optional: boolean };

/** `--name VALUE` and the uppercase positionals of a usage line; bare flags (`--json`) take no input. */
export function slotsOf(command: CliCommand): CliSlot[] {
  // Brackets and parentheses become words of their own, so the depth of [ ] around each input is known.
  const words = command.usage
    .replace(/([[\]()|])/g, " $1 ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(command.name.split(" ").length);
  const slots: CliSlot[] = [];
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === "[") depth += 1;
    else if (word === "]") depth -= 1;
    else if (word.startsWith("--")) {
      const next = words[i + 1];
      if (next && !/^(--|\[|\]|\(|\)|\|)/.test(next)) {
        slots.push({ kind: "flag", name: word.slice(2), placeholder: next, optional: depth > 0 });
        i++;
      }
    } else if (/^[A-Z][A-Z0-9_.]*$/.test(word))
      slots.push({ kind: "positional", name: word, placeholder: word, optional: depth > 0 });
  }
  const seen = new Set<string>();
  return slots.filter((s) => !seen.has(`${s.kind}:${s.name}`) && seen.add(`${s.kind}:${s.name}`));
}

/** A slot that names a file the command reads. */
export function readsFile(slot: CliSlot): boolean {
  return /FILE|EXPORT|\.pem|\.json|CSR|CERT|JWKS/i.test(slot.placeholder) && !/-out$/.test(slot.name);
}

/** A slot that names a file the command writes: hostile paths there are text values only. */
export function writesFile(slot: CliSlot): boolean {
  return /-out$/.test(slot.name);
}

/** Text no slot may take: control characters, a lone surrogate, an overlong value. */
export const hostileText: Record<string, string> = {
  nul: "a\u0000b",
  "lone surrogate": "x\ud800y",
  "terminal escape": "x\u001b[2J\u0007",
  overlong: "x".repeat(100_000),
};

/** Numbers and dates out of range, in the slots that take them. */
export const hostileNumbers: Record<string, string> = {
  negative: "-1",
  fraction: "1.5",
  overflowing: "99999999999999999999",
  huge: "1e308",
  "not a number": "NaN",
};

export const hostileDates: Record<string, string> = {
  "not a date": "yesterday-ish",
  "year 275760+": "+999999-01-01T00:00:00Z",
};

/** Files a command may be handed: missing, a directory, empty, binary, malformed, huge, with control characters. */
export function hostileFiles(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-cli-"));
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  return {
    missing: path.join(dir, "no-such-file"),
    directory: dir,
    empty: file("empty", ""),
    binary: file("binary", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
    "invalid UTF-8": file("invalid-utf8", Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x7b, 0x7d])),
    "malformed JSON": file("malformed.json", '{"proposal": {"id": "prop_x", '),
    "JSON of the wrong shape": file("wrong-shape.json", '[1, "two", {"three": null}]\n'),
    "truncated PEM": file(
      "truncated.pem",
      "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n",
    ),
    "control characters": file("control", "eyJhbGciOiJFUzI1NiJ9\u0000.\u001b[2J.\u0007\n"),
    "JSON lines with garbage": file("lines.jsonl", '{"seq":1}\nnot json\n{"seq":\n'),
    huge: file("huge", "A".repeat(8 * 1024 * 1024)),
  };
}
