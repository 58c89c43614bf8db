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
          // Every file runs on the Postgres server. On embedded PGlite (two CPU-bound workers in
          // this process) only what depends on the engine runs, to keep `npm test` within its
          // budget: the database layer, migrations and locks, sessions and sign-in, the OIDC reads
          // that PGlite serves uncached, the CLI with its one-process database, and the log's
          // append-only triggers. The money, licensing, governance, federation and app-store domains,
          // the journeys' notifications, and the generated hostile-input suites (which test the edge) go through the same Prisma
          // queries on both engines and run on Postgres only.
          exclude:
            process.env.TEST_DB === "postgres"
              ? []
              : [
                  "tests/integration/hostile/routes.test.ts",
                  "tests/integration/hostile/server-actions.test.ts",
                  "tests/integration/hostile/cli.test.ts",
                  // Protocol checks (request objects, DPoP) over the same queries on both engines.
                  "tests/integration/oidc/request-objects.test.ts",
                  "tests/integration/oidc/dpop.test.ts",
                  "tests/integration/payments/**",
                  "tests/integration/licensing/**",
                  "tests/integration/governance/**",
                  "tests/integration/federation/**",
                  "tests/integration/app-stores/**",
                  "tests/integration/journeys/**",
                ],
          environment: "node",
          globalSetup: ["tests/setup/integration-global.ts"],
          setupFiles: ["tests/setup/integration-file.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      // The deployment: the assembled standalone server, manifests, several instances (needs a build first).
      {
        resolve: { alias },
        test: {
          name: "deploy",
          include: ["tests/deploy/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
      // Fault tests with their own commands (npm run test:instances, test:ha): minutes each, not in the default run.
      {
        resolve: { alias },
        test: {
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          environment: "node",
          testTimeout: 900_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
