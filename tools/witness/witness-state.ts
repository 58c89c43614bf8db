import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a witness remembers per log: the latest checkpoint it cosigned (with its own cosignature). */
export type LogState = { size: number; rootHash: string; note: string; cosignedAt: string };
export type WitnessState = { version: 1; logs: Record<string, LogState> };

export function readState(file: string): WitnessState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, logs: {} };
    throw err;
  }
  const state = JSON.parse(text) as WitnessState;
  if (state.version !== 1 || typeof state.logs !== "object") throw new Error(`${file} is not a witness state file`);
  return state;
}

/**
 * Replaces the state file atomically and durably (a temporary file, fsync,
 * rename, fsync of the folder): after a crash the witness holds either the
 * old state or the new one, never a torn one, and never forgets a size it
 * cosigned, which would let it cosign a rolled-back log.
 */
export function writeState(file: string, state: WitnessState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  const fd = openSync(temporary, "r");
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, file);
  const dir = openSync(path.dirname(file), "r");
  fsyncSync(dir);
  closeSync(dir);
}
