import { execFile } from "node:child_process";
import path from "node:path";
import { bundledCli } from "../../support/bundled-cli";

export type CliResult = { code: number; stdout: string; stderr: string };

const root = path.resolve(import.meta.dirname, "../../..");

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
      // npm itself may warn about the machine's configuration; that is not the command's output.
      resolve({
        code,
        stdout,
        stderr: stderr
          .split("\n")
          .filter((l) => l && !l.startsWith("npm warn"))
          .join("\n"),
      });
    });
  });
}
