import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers";

// scripts/test-all.sh builds once, on a fresh clone, after its own `tsc --noEmit`: the build's type check
// would repeat that, and Turbopack's build cache would be written for no later build to read.
const testRunBuild = process.env.GUILDHALL_TEST_RUN_BUILD === "1";

const nextConfig: NextConfig = {
  // A self-contained server in .next/standalone (server.js and the node_modules it uses): what the
  // container image runs, and what CI starts (scripts/assemble-standalone.mjs, docs/DEPLOY.md).
  output: "standalone",
  // PGlite loads its WebAssembly from a file URL at run time; bundling breaks that.
  // prom-client and OpenTelemetry keep one registry/provider per process only when loaded once, from node_modules.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pino",
    "nodemailer",
    "prom-client",
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace",
    "@opentelemetry/instrumentation",
    "@opentelemetry/instrumentation-http",
    "@opentelemetry/instrumentation-pg",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/context-async-hooks",
    "@opentelemetry/core",
    "@opentelemetry/resources",
    // Apple's App Store library runs as Apple publishes it (CommonJS, with jsonwebtoken and jsrsasign).
    "@apple/app-store-server-library",
  ],
  poweredByHeader: false,
  experimental: { authInterrupts: true, turbopackFileSystemCacheForBuild: !testRunBuild },
  typescript: { ignoreBuildErrors: testRunBuild },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
