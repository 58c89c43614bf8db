import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

const baseServer = base.webServer;
if (!baseServer || Array.isArray(baseServer)) throw new Error("playwright.config.ts has one webServer");

/**
 * The fork's browser test (`npm run test:e2e-fork`, docs/EXPORTS.md): the same Chromium, build and e2e server as
 * playwright.config.ts, but the server first makes its database a fork of an origin it exports
 * (scripts/e2e-fork-origin.mjs: a dozen CLI processes, about a minute), so it is kept out of `npm test`.
 */
export default defineConfig({
  ...base,
  testDir: "tests/e2e-fork",
  workers: 1,
  webServer: {
    ...baseServer,
    env: { E2E_FORK: "1" },
    // The origin's seeding, export and the fork's import come before the server answers.
    timeout: 300_000,
  },
});
