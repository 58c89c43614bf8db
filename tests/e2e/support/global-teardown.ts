import fs from "node:fs";
import { printPageTimesSummary } from "./page-times-summary";

/**
 * Prints the journeys' page server times (./page-times-summary.ts) and removes the run's Apple test keys. The run's
 * database is not dropped here: Playwright runs this before it stops the web
 * server, and dropping it under a running portal ended each run with "idle
 * database connection lost" warnings. The server stops first instead
 * (playwright.config.ts `gracefulShutdown`), and scripts/e2e-server.mjs drops
 * the database once the portal has exited.
 */
export default async function globalTeardown() {
  printPageTimesSummary();
  // The run's own Apple test root and leaf key (playwright.config.ts); every test that signs with them has ended.
  if (process.env.E2E_APPLE_PKI_DIR) fs.rmSync(process.env.E2E_APPLE_PKI_DIR, { recursive: true, force: true });
}
