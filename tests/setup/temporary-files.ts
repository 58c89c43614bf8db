import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const PREFIX = "guildhall-tests-";
const SIX_HOURS_MS = 6 * 3600_000;

/**
 * The project's temporary files (test CAs' and stores' keys, certificates, clusters' data folders) go under one
 * folder of this run, removed when the run ends, passing or failing: the tests and the servers they start make
 * their folders under os.tmpdir(), which reads TMPDIR, and the workers inherit it. A folder that a killed run left
 * behind goes at a later run's start, once six hours old (runs of other checkouts may share the machine).
 */
export default function setup() {
  const base = os.tmpdir();
  for (const name of fs.readdirSync(base)) {
    if (!name.startsWith(PREFIX)) continue;
    const stale = path.join(base, name);
    if (Date.now() - fs.statSync(stale).mtimeMs > SIX_HOURS_MS) fs.rmSync(stale, { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(base, PREFIX));
  // Patroni's PostgreSQL runs as the postgres user and must reach its folders under this one.
  fs.chmodSync(dir, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
