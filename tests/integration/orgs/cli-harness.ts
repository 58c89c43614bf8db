import { execFile } from "node:child_process";
import path from "node:path";
import type { CliIo } from "@/cli/io";
import { processIo } from "@/cli/io";
import { runCli as runCliEntry } from "@/cli/run-cli";
import { bundledCli } from "../../support/bundled-cli";

export type CliResult = { code: number; stdout: string; stderr: string };

const root = path.resolve(import.meta.dirname, "../../..");

/** stderr as the command's own lines: npm itself may warn about the machine's configuration. */
function commandLines(stderr: string): string {
  return stderr
    .split("\n")
    .filter((l) => l && !l.startsWith("npm warn"))
    .join("\n");
}

/**
 * Runs the operator CLI as a child process, the way an operator does, on the
 * database the given environment names. LOG_LEVEL=warn keeps stderr to what
 * the command itself says.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  opts: { viaNpm?: boolean } = {},
): Promise<CliResult> {
  const [file, argv] = opts.viaNpm
    ? ["npm", ["run", "--silent", "cli", "--", ...args]]
    : [process.execPath, [await bundledCli(), ...args]];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", SEED_DEMO: "1", ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve) => {
    // Each invocation boots Node and the database client (about 20 s on PGlite on a busy
    // 2-core machine, 60 s seen under heavy load): the bound stays under the tests' 120 s.
    execFile(file, argv, { cwd: root, env: childEnv, timeout: 110_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: commandLines(stderr) });
    });
  });
}

/**
 * Runs the operator CLI's entry (cli/run-cli.ts, what cli/main.ts runs once the process is set up) in
 * this process, on this test file's database: the same parsing, migration check, command and error
 * line as the process, without booting Node and the database client again for every command (2-4 s of
 * CPU each). Files a command writes are written here, as the process writes them.
 */
export async function runCliInProcess(args: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (text) => stdout.push(text), writeFile: processIo.writeFile, exitCode: 0 };
  const code = await runCliEntry(args, io, (text) => stderr.push(text));
  return { code, stdout: stdout.join(""), stderr: commandLines(stderr.join("")) };
}
