import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";

/**
 * Where a CLI command's output goes. Run from a terminal, to this process's
 * stdout and files; run by the portal for a CLI that found the embedded
 * database open there (cli/admin-server.ts), back to that CLI, which prints
 * and writes them on its side. Commands print through cliIo(), never to
 * process.stdout directly, and report failure by setting its exitCode.
 */
export type CliIo = {
  stdout(text: string): void;
  /** Writes a file the command produces (a backup), on the side of the person running the CLI. */
  writeFile(file: string, data: Uint8Array): void;
  exitCode: number;
};

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  writeFile: (file, data) => fs.writeFileSync(file, data, { mode: 0o600 }),
  exitCode: 0,
};

const storage = new AsyncLocalStorage<CliIo>();

export function cliIo(): CliIo {
  return storage.getStore() ?? processIo;
}

export function runWithCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  return storage.run(io, fn);
}
