import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CliCommand } from "@/cli/command";
import { ORG_ARCHIVE_FORMAT, ORG_ARCHIVE_TABLES, ORG_ARCHIVE_VERSION } from "@/lib/portability/org-archive-format";

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
  return /FILE|EXPORT|\.pem|\.json|\.der|CSR|CERT|JWKS/i.test(slot.placeholder) && !/-out$/.test(slot.name);
}

/** A slot that names a directory the command reads (an org archive); `org export DIR` writes its DIR. */
export function readsDirectory(commandName: string, slot: CliSlot): boolean {
  return slot.placeholder === "DIR" && !/\bexport\b/.test(commandName);
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
    "truncated signed document": file(
      "truncated.jws",
      "eyJhbGciOiJFZERTQSIsInR5cCI6Imd1aWxkaGFsbC1saWNlbnNlK2p3cyJ9.eyJsaWNlbn",
    ),
    "an export of another kind": file(
      "other-kind.json",
      JSON.stringify({ manifest: { format: "guildhall-org-archive", v: 1, files: [] }, signature: "e30.e30.AAAA" }),
    ),
  };
}

/**
 * Directories a command that reads an archive may be handed: missing, a file,
 * empty, and archives whose manifest is not JSON, of another format, of a
 * newer version, of the right format but a malformed shape (a file name that
 * climbs out of the directory, a negative count), unsigned, or whose files
 * are cut short.
 */
export function hostileDirectories(): Record<string, string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-cli-dirs-"));
  const archive = (name: string, manifest: string | undefined, files: Record<string, string> = {}) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    if (manifest !== undefined) fs.writeFileSync(path.join(dir, "manifest.json"), manifest);
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
    return dir;
  };
  const file = path.join(root, "a-file");
  fs.writeFileSync(file, "not a directory\n");
  // A manifest of the right shape (so the checks behind the shape are reached), signed by nobody we trust.
  const files = ORG_ARCHIVE_TABLES.map((t) => ({
    name: t.file,
    table: t.table,
    records: 2,
    bytes: 40,
    sha256: "0".repeat(64),
    recordHashes: { bytes: 130, sha256: "0".repeat(64) },
  }));
  const shaped = {
    format: ORG_ARCHIVE_FORMAT,
    v: ORG_ARCHIVE_VERSION,
    schemaMigration: "20260101000000_init",
    origin: {
      issuer: "https://origin.example",
      rpId: "origin.example",
      rpOrigin: "https://origin.example",
      exportedAt: "2026-01-01T00:00:00.000Z",
    },
    log: {
      origin: "origin.example/log",
      verifierKey: "origin+1+AAAA",
      size: 1,
      rootHash: "0".repeat(64),
      checkpoint: "x",
    },
    ledger: { balances: [] },
    files,
    notExported: {},
  };
  const manifest = (inner: Record<string, unknown>, signature = "e30.e30.AAAA") =>
    JSON.stringify({ manifest: { ...shaped, ...inner }, signature });
  const users = files[0];
  return {
    "missing directory": path.join(root, "no-such-dir"),
    "a file, not a directory": file,
    "empty directory": archive("empty", undefined),
    "manifest not JSON": archive("not-json", '{"manifest": {"format": "guildhall-org-archive", '),
    "manifest of another format": archive(
      "other-format",
      JSON.stringify({ manifest: { format: "zip" }, signature: "x" }),
    ),
    "manifest of a newer version": archive("newer", manifest({ v: 99 })),
    "manifest signed by nobody trusted, with a cut file": archive("cut", manifest({}), {
      "users.ndjson": '{"id":"usr_1","email":"a@example.test"}\n{"id":"usr_2","ema',
    }),
    "unsigned manifest": archive("unsigned", manifest({}, "")),
    "manifest with a file outside the archive": archive(
      "traversal",
      manifest({ files: [{ ...users, name: "../../../../etc/passwd" }, ...files.slice(1)] }),
    ),
    "manifest with a negative count": archive("negative", manifest({ files: [{ ...users, records: -1 }] })),
    "manifest with control characters": archive("control", manifest({ schemaMigration: "x\u0000\u001b[2J" })),
  };
}
