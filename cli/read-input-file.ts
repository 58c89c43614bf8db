import fs from "node:fs";
import { CliError } from "./command";

/** Bounds on what a command reads whole: far above any real document of its kind, far below the machine's memory. */
export const inputFileBytes = {
  /** A license document, a certificate, a chain, a JWKS, a checkpoint. */
  document: 1024 * 1024,
  /** A CRL, a proposal export (every ballot of one proposal). */
  bulk: 64 * 1024 * 1024,
  /** A theater's signed backup: every order and ticket sale of its life, read and parsed whole. */
  backup: 256 * 1024 * 1024,
} as const;

/**
 * Checks that `file` is a regular file this process can read, within
 * `maxBytes` when given, and refuses otherwise with one line that names it
 * (instead of ENOENT or EISDIR surfacing from deep inside a command).
 */
export function assertReadableFile(file: string, what: string, maxBytes?: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === "ENOENT" ? "no such file" : `cannot read the ${what} (${code ?? "error"})`}`,
    );
  }
  if (!stat.isFile()) throw new CliError(`${file}: not a file (the ${what} is expected here)`);
  if (maxBytes !== undefined && stat.size > maxBytes)
    throw new CliError(`${file}: ${stat.size} bytes is too large for a ${what} (at most ${maxBytes})`);
  if (stat.size === 0) throw new CliError(`${file}: the file is empty; a ${what} is expected`);
}

/** The bytes of a file a command reads whole, checked as assertReadableFile does. */
export function readInputFile(file: string, what: string, maxBytes: number = inputFileBytes.document): Buffer {
  assertReadableFile(file, what, maxBytes);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** The text of such a file, refused when it is not UTF-8 (rather than read with replacement characters). */
export function readInputText(file: string, what: string, maxBytes: number = inputFileBytes.document): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(readInputFile(file, what, maxBytes));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: not UTF-8 text; a ${what} is expected`);
  }
}
