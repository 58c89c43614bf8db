import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/config/env";
import { devMailboxExists, devMailboxKey, devMailboxLink, devMailboxOpens } from "@/lib/mail/dev-mailbox-access";

/**
 * The dev mailbox opens every account's codes, so it exists only in embedded
 * development without SMTP, and only for the holder of its key: not for a
 * request from loopback (a reverse proxy on the same host makes every request
 * one), and not for an org admin of a real deployment.
 */
const saved = { ...process.env };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-mailbox-"));

function configure(overrides: Record<string, string | undefined>) {
  for (const key of ["DATABASE_URL", "SMTP_URL", "STRIPE_SECRET_KEY"]) delete process.env[key];
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "unit-test-auth-secret-0123456789abcdef01",
    MASTER_KEY: Buffer.alloc(32, 3).toString("base64"),
  });
  for (const [key, value] of Object.entries(overrides))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  resetEnvForTests();
}

beforeEach(() => configure({}));
afterAll(() => {
  process.env = saved;
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("dev mailbox access", () => {
  it("opens in embedded development only with its key", () => {
    expect(devMailboxExists()).toBe(true);
    expect(devMailboxOpens(devMailboxKey())).toBe(true);
    expect(devMailboxLink()).toBe(`http://localhost:3000/dev/mailbox?key=${devMailboxKey()}`);
  });

  it("refuses a request without the key, or with a wrong one, whatever address it comes from", () => {
    expect(devMailboxOpens(undefined)).toBe(false);
    expect(devMailboxOpens("")).toBe(false);
    expect(devMailboxOpens(`${devMailboxKey()}x`)).toBe(false);
    expect(devMailboxOpens(devMailboxKey().slice(1))).toBe(false);
  });

  it("derives the key from the master key: another installation's key does not open this one", () => {
    const here = devMailboxKey();
    configure({ MASTER_KEY: Buffer.alloc(32, 4).toString("base64") });
    expect(devMailboxKey()).not.toBe(here);
    expect(devMailboxOpens(here)).toBe(false);
  });

  it("does not exist on a database server, nor with SMTP configured, even with the right key", () => {
    configure({ SMTP_URL: "smtp://127.0.0.1:2525" });
    expect(devMailboxExists()).toBe(false);
    expect(devMailboxOpens(devMailboxKey())).toBe(false);
    expect(devMailboxLink()).toBeUndefined();
    configure({ DATABASE_URL: "postgres://guildhall@127.0.0.1:5432/guildhall" });
    expect(devMailboxExists()).toBe(false);
    expect(devMailboxOpens(devMailboxKey())).toBe(false);
  });
});
