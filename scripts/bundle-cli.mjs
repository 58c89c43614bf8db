// The operator CLI (cli/main.ts) bundled into one ES module: what the container image runs as
// `node cli.mjs` (scripts/assemble-standalone.mjs), and what the CLI's integration tests start,
// since a bundled file starts in a fraction of the time tsx takes to load and transform the sources
// (and so, bundled alike, the other scripts of ours the tests start as processes).
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

/** Writes the CLI's bundle to `outfile`; its external packages resolve from the node_modules above it. */
export function bundleCli(outfile) {
  return bundleScript("cli/main.ts", outfile);
}

/** Writes the bundle of `entry` (a TypeScript file, from the repository's root) to `outfile`, as the CLI's. */
export async function bundleScript(entry, outfile) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // As Next's server bundles and the CLI's tsx resolve it: server-only's empty module, not its throwing one.
    conditions: ["react-server"],
    // Packages the standalone server already carries in its node_modules (WebAssembly, worker threads, drivers).
    external: ["@electric-sql/pglite", "pglite-prisma-adapter", "pino", "pg", "nodemailer", "@prisma/client"],
    banner: {
      js: "import { createRequire as guildhallCreateRequire } from 'node:module'; const require = guildhallCreateRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
}
