import fs from "node:fs";
import path from "node:path";
// @ts-expect-error: a plain ES module without type declarations, shared with scripts/assemble-standalone.mjs.
import { bundleScript } from "../../scripts/bundle-cli.mjs";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The operator CLI as the image ships it: one bundled file, built once per test process, under
 * node_modules so its external packages resolve. It starts in a fraction of the CPU time tsx takes
 * to load and transform the sources (about 0.6 s against 3 s here); `npm run cli` (tsx) is still run
 * where a test is about that command.
 */
export function bundledCli(): Promise<string> {
  return bundledScript("cli/main.ts");
}

const bundles = new Map<string, Promise<string>>();

/** Another script of ours that a test starts as a process (`entry` from the repository's root), bundled as the CLI is. */
export function bundledScript(entry: string): Promise<string> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    bundled = (async () => {
      const dir = path.join(root, "node_modules/.cache/guildhall-test-cli");
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${path.basename(entry, ".ts")}-${process.pid}.mjs`);
      await bundleScript(entry, file);
      process.once("exit", () => fs.rmSync(file, { force: true }));
      return file;
    })();
    bundles.set(entry, bundled);
  }
  return bundled;
}
