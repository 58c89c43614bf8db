import fs from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium against a production build, on a
 * throwaway Postgres database made for this run (scripts/e2e-server.mjs).
 * The port and database name are fixed here once, so workers agree on them.
 */
process.env.E2E_PORT ??= String(3200 + (process.pid % 500));
process.env.E2E_DATABASE ??= `gh_e2e_${Date.now().toString(36)}`;
// The e2e portal runs governance on its test clock (lib/governance/clock.ts), so a
// spec can let a 72-hour voting window pass; the offset stays 0 until one does.
process.env.GUILDHALL_TEST_CLOCK ??= "1";
// The e2e portal's master key: the tests read mailed codes from the database, where mail is sealed under it.
process.env.E2E_MASTER_KEY ??= Buffer.alloc(32, 9).toString("base64");
// The App Store as the e2e portal sees it: an Apple root of the tests' own (with Apple's certificate extensions,
// tests/support/app-store-signer.ts) that the portal is configured to trust, as the integration tests do, and its
// leaf's key beside it, with which the tests sign notifications. Made once, by the runner; its workers and the
// portal get the folder through the environment (scripts/e2e-server.mjs configures Apple from it), and the global
// teardown removes it.
process.env.E2E_APPLE_BUNDLE_ID ??= "org.guildhall.e2e";
if (!process.env.E2E_APPLE_PKI_DIR) {
  const { makeAppleTestPki } = await import("./tests/support/app-store-signer");
  process.env.E2E_APPLE_PKI_DIR = (await makeAppleTestPki()).dir;
}
const port = Number(process.env.E2E_PORT);

/**
 * Debian's Chromium headless shell (package chromium-headless-shell): the same Blink and V8 as the full
 * browser, without its windowing and browser UI, so each page costs the CPU-bound browser tests less
 * (scripts/test-all.sh installs it with chromium); the full Chromium where only that is installed.
 */
function chromiumPath(): string {
  const headlessShell = "/usr/lib/chromium/chromium-headless-shell";
  return fs.existsSync(headlessShell) ? headlessShell : "/usr/bin/chromium";
}
export const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  globalTeardown: "./tests/e2e/support/global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    // Recording a trace costs about a fifth of the browser tests' CPU, on every test, to keep the traces of the few
    // that fail; CI keeps no artifacts, so it is recorded only when asked for (E2E_TRACE=1, README "Browser tests").
    trace: process.env.E2E_TRACE === "1" ? "retain-on-failure" : "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM to the server script, which stops the portal (its orderly stop closes the database pool) and then
    // drops the run's database; without it Playwright kills the script at once and the database is left behind.
    // The bound is the portal's own shutdown bound (SHUTDOWN_TIMEOUT_MS) and the drop, with room to spare.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
