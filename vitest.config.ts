import path from "node:path";
import { defineConfig } from "vitest/config";

// server-only throws unless resolved with the "react-server" condition, as Next's server bundles
// do; the tests run server modules directly, so they get its empty module, as the CLI does
// through --conditions=react-server.
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

/**
 * Two projects: fast unit tests, and integration tests on a real database.
 * The integration project runs once per engine (TEST_DB=pglite or postgres):
 * see scripts/test-all.sh.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "lib/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/integration-global.ts"],
          setupFiles: ["tests/setup/integration-file.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
