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
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "lib/**/*.test.ts"],
          environment: "node",
          // Vitest's default is one worker fewer than the cores: one on CI's 2-core machine, where the
          // migration tests (PGlite in WebAssembly, most of this project's time) then ran alone while
          // the second core idled; the files are independent (ephemeral ports, their own temp folders).
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // Every file runs on the Postgres server. On embedded PGlite only the files whose behaviour
          // depends on the engine run (keeping `npm test` within its budget): lib/db's branches on the
          // engine (prepared queries, the outbox's leases and the exclusive tasks on one connection, the
          // advisory locks of key rotation and the audit chain with its append-only trigger), sessions
          // and sign-in codes, the OIDC reads PGlite serves uncached (a code exchange, cached state), the
          // CLI and backups on the one-process embedded database, the log's integration, and the app stores'
          // Google Play file (raw INSERT … ON CONFLICT of a message id, advisory locks per subscription,
          // FOR UPDATE on its state and plan, outbox acknowledgements, several instances at once; Apple's
          // notifications go through the same paths and run on Postgres only). Everything
          // else goes through the same Prisma queries and the same SQL on both engines, or talks to the
          // Postgres server itself (applying migrations there, two integrators, lost connections), and runs
          // in the Postgres run only. A new file is Postgres-only unless it is listed here.
          include:
            process.env.TEST_DB === "postgres"
              ? ["tests/integration/**/*.test.ts"]
              : [
                  "tests/integration/foundation/audit-chain.test.ts",
                  "tests/integration/foundation/audit-chain-checkpoint.test.ts",
                  "tests/integration/foundation/email-code.test.ts",
                  "tests/integration/foundation/instances-coordination.test.ts",
                  "tests/integration/foundation/outbox.test.ts",
                  "tests/integration/foundation/prepared-query.test.ts",
                  "tests/integration/foundation/signing-keys.test.ts",
                  "tests/integration/auth/sessions.test.ts",
                  "tests/integration/oidc/cached-state.test.ts",
                  "tests/integration/oidc/code-exchange.test.ts",
                  "tests/integration/orgs/cli.test.ts",
                  "tests/integration/exports/theater-backup.test.ts",
                  "tests/integration/transparency/integrate-log.test.ts",
                  "tests/integration/app-stores/google-play-notifications.test.ts",
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
          globalSetup: ["tests/setup/temporary-files.ts"],
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
