import "server-only";
import client from "prom-client";
import { processSlot } from "@/lib/process-state";

/**
 * The process's Prometheus metrics (prom-client), served by
 * lib/ops/start-metrics-server.ts on a port of its own. One registry per
 * process (lib/process-state.ts): instrumentation and the route bundles may
 * load separate copies of this module, and both must count into the same one.
 * Gauges of database state (outbox backlog, failed payout transfers) are
 * read when Prometheus scrapes (lib/ops/database-gauges.ts).
 */
function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new client.Histogram({
      name: "guildhall_http_request_duration_seconds",
      help: "HTTP requests by method, route (the App Router's pattern) and status; its _count is the request rate",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    httpRequestsInFlight: new client.Gauge({
      name: "guildhall_http_requests_in_flight",
      help: "HTTP requests being served now",
      registers,
    }),
    signInFailures: new client.Counter({
      name: "guildhall_sign_in_failures_total",
      help: "Sign-in attempts refused, by method (passkey, email-code) and error code",
      labelNames: ["method", "code"] as const,
      registers,
    }),
    outboxJobFailures: new client.Counter({
      name: "guildhall_outbox_job_failures_total",
      help: "Outbox deliveries that failed, by effect kind (payout.transfer is a failed payout transfer attempt)",
      labelNames: ["kind"] as const,
      registers,
    }),
    backgroundTaskRuns: new client.Counter({
      name: "guildhall_background_task_runs_total",
      help: "Runs of the periodic tasks: ran, skipped (another instance held the task's lock) or failed",
      labelNames: ["task", "outcome"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const slot = processSlot<Metrics>("metrics");

export function metrics(): Metrics {
  return slot.getOrInit(createMetrics);
}
