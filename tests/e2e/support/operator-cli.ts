import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { e2eDatabaseUrl } from "./database";
import { bundledCli } from "../../support/bundled-cli";

const run = promisify(execFile);

/**
 * Runs the operator CLI (the bundled one, as the image ships it) on the e2e database, as an operator would,
 * with `--json`; answers its JSON output.
 */
export async function runOperatorCli<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [await bundledCli(), ...args, "--json"], {
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl(),
      MASTER_KEY: Buffer.alloc(32, 9).toString("base64"),
      LOG_LEVEL: "silent",
      SEED_DEMO: "0",
    },
  });
  return JSON.parse(stdout.slice(stdout.search(/[[{]/))) as T;
}
