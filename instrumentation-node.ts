/**
 * The start of a Node.js server process, called from instrumentation.ts
 * once, before it serves. A failure here (a missing secret, a database that
 * cannot migrate) stops the start with its message instead of failing
 * requests later.
 */
export async function registerNodeServer() {
  const { env } = await import("@/lib/config/env");
  // Tracing first, so the database driver is instrumented when it loads; off without an endpoint.
  const stopTracing = env().otlpEndpoint ? (await import("@/lib/ops/start-tracing")).startTracing() : undefined;
  const { installPeerAddressHeader } = await import("@/lib/http/peer-address");
  installPeerAddressHeader();
  const { startPortal } = await import("@/lib/start-portal");
  const { portalComposition } = await import("@/lib/composition/portal-composition");
  let stopPortal: Awaited<ReturnType<typeof startPortal>>;
  try {
    stopPortal = await startPortal(portalComposition);
  } catch (e) {
    console.error(`Guildhall cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  // The production server answers the hot OIDC, federation and log requests before Next's router
  // (docs/oidc.md, "Protocol fast lane"); `next dev` keeps every request in Next.
  if (env().nodeEnv === "production" && env().oidcFastLane) {
    const { installProtocolFastLane, oidcFastLaneRoutes } = await import(
      "@/lib/protocol-fast-lane/install-protocol-fast-lane"
    );
    const { federationFastLaneRoutes } = await import("@/lib/federation/http/federation-fast-lane-routes");
    const { logFastLaneRoutes } = await import("@/lib/protocol-fast-lane/log-fast-lane-routes");
    installProtocolFastLane(
      new URL(env().publicUrl).origin,
      new Map([...oidcFastLaneRoutes, ...federationFastLaneRoutes, ...logFastLaneRoutes]),
    );
  }
  await startOperations(stopPortal, stopTracing);
}

/** Metrics, and the orderly stop on SIGTERM (docs/DEPLOY.md, "Operations"). */
async function startOperations(
  stopPortal: (timeoutMs: number) => Promise<void>,
  stopTracing: (() => Promise<void>) | undefined,
) {
  const { env } = await import("@/lib/config/env");
  const { installRequestMetrics } = await import("@/lib/ops/install-request-metrics");
  installRequestMetrics();
  const { metricsPort, metricsHost, shutdownDelayMs, shutdownTimeoutMs } = env();
  if (metricsPort) (await import("@/lib/ops/start-metrics-server")).startMetricsServer(metricsPort, metricsHost);
  // The embedded database serves one process: the operator CLI then runs its commands through this one.
  if (env().embedded) (await import("@/cli/admin-server")).startAdminServer(env().dataDir);
  const { installGracefulShutdown } = await import("@/lib/ops/install-graceful-shutdown");
  const { closeDb } = await import("@/lib/db/close-db");
  installGracefulShutdown({
    delayMs: shutdownDelayMs,
    timeoutMs: shutdownTimeoutMs,
    stopWork: () => stopPortal(shutdownTimeoutMs),
    closeResources: async () => {
      await stopTracing?.().catch(() => {});
      await closeDb();
    },
  });
}
