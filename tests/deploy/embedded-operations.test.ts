import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  standaloneDir,
  startStandalone,
  stopServer,
  waitForStatus,
  testSecrets,
  type StartedServer,
} from "./support/standalone-server";

/**
 * The standalone server on the embedded database (no DATABASE_URL), which one
 * process can open: the operator CLI (the image's `node cli.mjs`) still runs
 * while the portal does, through it, and `db backup` / `db restore` make a
 * round trip: a backup taken while the portal runs, a change made after it,
 * the portal stopped, the backup restored, and the change is gone while
 * everything before it is there and the audit chain still verifies.
 */
const PORT = 4570;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-embedded-"));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-embedded-cli-"));
let server: StartedServer;
const portalEnv = { DATA_DIR: dataDir, NODE_ENV: "production" as const, PUBLIC_URL: `http://localhost:${PORT}` };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(standaloneDir, "cli.mjs"), ...args], {
    cwd: workDir,
    // The operator's CLI runs with the portal's own configuration, as in the image: the log's signing key
    // is sealed under MASTER_KEY and named for the public address, so a CLI that opens the database
    // itself needs the same MASTER_KEY and PUBLIC_URL.
    env: { PATH: process.env.PATH, ...portalEnv, LOG_LEVEL: "warn", ...testSecrets },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const emails = (json: string) => (JSON.parse(json) as { email: string }[]).map((u) => u.email).sort();

beforeAll(async () => {
  server = startStandalone(PORT, { ...portalEnv, SEED_DEMO: "1" });
  await waitForStatus(`${server.url}/api/health/ready`, 200, 120_000, server);
});

afterAll(async () => {
  await stopServer(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("the operator CLI on the embedded database", () => {
  it("runs audit verify, ledger check and other commands while the portal runs, through it", () => {
    const audit = cli("audit", "verify");
    expect(audit.stderr).toBe("");
    expect(audit.status).toBe(0);
    expect(audit.stdout).toMatch(/^audit chain OK: [1-9]\d* events/);
    const ledger = cli("ledger", "check");
    expect(ledger.status, ledger.stderr).toBe(0);
    expect(ledger.stdout).toMatch(/^ledger OK/);
    const users = cli("users", "list", "--json");
    expect(users.status, users.stderr).toBe(0);
    expect(emails(users.stdout).length).toBeGreaterThan(3);
    // A command's own failure comes back as its exit status and message.
    const refused = cli("users", "create", "--email", "not-an-email", "--name", "X");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: /);
  });

  // Ten CLI processes one after the other, each booting Node and the database: half a minute on a quiet
  // machine, minutes on a loaded one, so the test has a bound of its own above the project's 180 s.
  it("backs up while the portal runs, refuses to restore under it, and restores once it is stopped", {
    timeout: 480_000,
  }, async () => {
    const before = cli("users", "list", "--json");
    const backup = cli("db", "backup", "backup.tar.gz");
    expect(backup.status, backup.stderr).toBe(0);
    const file = path.join(workDir, "backup.tar.gz");
    expect(fs.statSync(file).size).toBeGreaterThan(100_000);
    expect(fs.readFileSync(file).subarray(0, 2).toString("hex"), "gzip").toBe("1f8b");
    const headAtBackup = cli("audit", "verify").stdout;

    const added = cli("users", "create", "--email", "after-backup@example.test", "--name", "After Backup");
    expect(added.status, added.stderr).toBe(0);
    expect(emails(cli("users", "list", "--json").stdout)).toContain("after-backup@example.test");

    const underPortal = cli("db", "restore", "backup.tar.gz");
    expect(underPortal.status).toBe(1);
    expect(underPortal.stderr).toMatch(/stop the portal first|open in process/);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const restore = cli("db", "restore", "backup.tar.gz", "--json");
    expect(restore.status, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      migrations: expect.any(Number),
      replacedDir: expect.stringContaining("pglite.replaced-"),
    });

    // The portal is stopped: the CLI opens the restored database itself.
    expect(emails(cli("users", "list", "--json").stdout)).toEqual(emails(before.stdout));
    const audit = cli("audit", "verify");
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toBe(headAtBackup);
    const garbage = path.join(workDir, "garbage.tar.gz");
    fs.writeFileSync(garbage, "not a backup");
    const refused = cli("db", "restore", "garbage.tar.gz");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not a backup of a Guildhall database/);
    expect(
      fs.readdirSync(dataDir).filter((f) => f.startsWith("pglite.restoring-")),
      "a refused restore leaves nothing behind",
    ).toEqual([]);
  });
});
