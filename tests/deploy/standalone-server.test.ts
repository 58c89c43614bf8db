import { spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, throwawayName, withAdmin } from "../support/postgres-admin";
import {
  dockerfileExec,
  standaloneDir,
  startStandalone,
  stopServer,
  testSecrets,
  waitForStatus,
  type StartedServer,
} from "./support/standalone-server";

/**
 * The container's start command (the Dockerfile's CMD, `node server.js`) run
 * from the assembled standalone folder on a fresh PostgreSQL database: it
 * migrates, serves pages with their static assets, answers the health probes
 * and the Dockerfile's HEALTHCHECK, serves metrics on its own port, goes
 * not-ready while the database refuses connections and comes back by itself,
 * and stops in order on SIGTERM.
 */
const PORT = 4510;
const METRICS_PORT = 4511;
let dbName: string;
let dbUrl: string;
let server: StartedServer;

beforeAll(async () => {
  dbName = throwawayName("gh_deploy");
  dbUrl = await createDatabase(dbName);
  server = startStandalone(PORT, {
    DATABASE_URL: dbUrl,
    METRICS_PORT: String(METRICS_PORT),
    SHUTDOWN_DELAY_MS: "1500",
    SHUTDOWN_TIMEOUT_MS: "15000",
  });
  await waitForStatus(`${server.url}/api/health/ready`, 200, 120_000, server);
});

afterAll(async () => {
  await stopServer(server);
  await withAdmin((c) => c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`)).catch(() => {});
  await dropDatabase(dbName);
});

describe("the standalone server started with the Dockerfile's CMD", () => {
  it("is the command the image runs", () => {
    expect(dockerfileExec("CMD")).toEqual(["node", "server.js"]);
  });

  it("serves a page and the static assets it links", async () => {
    const page = await fetch(`${server.url}/sign-in`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = html.match(/\/_next\/static\/[^"']+\.(?:js|css)/)?.[0];
    expect(asset, "the page links a static asset").toBeTruthy();
    expect((await fetch(`${server.url}${asset}`)).status).toBe(200);
  });

  it("answers liveness, readiness, the old /api/health, and the image's HEALTHCHECK", async () => {
    expect(await (await fetch(`${server.url}/api/health/live`)).json()).toEqual({ status: "live" });
    expect(await (await fetch(`${server.url}/api/health/ready`)).json()).toEqual({ status: "ready" });
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.database).toMatchObject({ ok: true, engine: "postgres" });
    const [command, ...args] = dockerfileExec("HEALTHCHECK");
    const check = spawnSync(command === "node" ? process.execPath : command, args, {
      env: { ...process.env, PORT: String(PORT) },
      timeout: 10_000,
    });
    expect(check.status).toBe(0);
    const refused = spawnSync(process.execPath, args, { env: { ...process.env, PORT: "4599" }, timeout: 10_000 });
    expect(refused.status, "the HEALTHCHECK fails when nothing answers").toBe(1);
  });

  it("serves Prometheus metrics on the metrics port only", async () => {
    await fetch(`${server.url}/api/health/live`);
    const res = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      /guildhall_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /guildhall_http_request_duration_seconds_count\{method="GET",route="\/sign-in",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/guildhall_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/^guildhall_outbox_pending_jobs \d+$/m);
    expect(text).toMatch(/^guildhall_outbox_oldest_pending_age_seconds [\d.e+-]+$/m);
    expect(text).toMatch(/^guildhall_payout_items_failed 0$/m);
    expect(text).toMatch(/^guildhall_metrics_database_up 1$/m);
    expect(text).toMatch(/^guildhall_log_pending_entries \d+$/m);
    expect(text).toMatch(/^guildhall_log_integration_lag_seconds [\d.e+-]+$/m);
    expect(text).toContain("guildhall_sign_in_failures_total");
    expect(text).toContain("process_cpu_seconds_total");
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(
      (await fetch(`http://127.0.0.1:${METRICS_PORT}/oidc/jwks`)).status,
      "the metrics port serves nothing else",
    ).toBe(404);
  });

  it("is not ready while the database refuses connections, answers 503 meanwhile, and recovers by itself", async () => {
    await withAdmin(async (c) => {
      await c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
      await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [dbName]);
    });
    const down = await waitForStatus(`${server.url}/api/health/ready`, 503, 30_000, server);
    expect(await down.json()).toMatchObject({ status: "not ready", reason: "database unreachable" });
    expect((await fetch(`${server.url}/api/health/live`)).status, "liveness does not depend on the database").toBe(200);
    const api = await fetch(`${server.url}/api/governance/release-manifest`);
    expect(api.status, "an API request meanwhile: unavailable, not an internal error").toBe(503);
    expect(api.headers.get("retry-after")).toBe("2");
    expect((await api.json()).error).toMatchObject({ code: "UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" });
    await withAdmin((c) => c.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`));
    await waitForStatus(`${server.url}/api/health/ready`, 200, 30_000, server);
    expect((await fetch(`${server.url}/oidc/jwks`)).status).toBe(200);
  });

  it("on SIGTERM stops being ready, finishes the request in flight, refuses new connections and exits 0", async () => {
    // A request in flight: its headers sent, its body not yet.
    const [head, tail] = ["grant_type=client", "_credentials"];
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(head.length + tail.length),
      };
      const req = http.request(
        { host: "127.0.0.1", port: PORT, method: "POST", path: "/oidc/token", headers },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.write(head);
      setTimeout(() => req.end(tail), 1000);
    });
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill("SIGTERM");
    const draining = await waitForStatus(`${server.url}/api/health/ready`, 503, 1400, server);
    expect(await draining.json()).toMatchObject({ reason: "shutting down" });
    const answered = await inFlight;
    expect(answered.status, "the request in flight gets its answer (a client error: no client)").toBe(401);
    expect(JSON.parse(answered.body).error).toBe("invalid_client");
    // Status 0 is the server's own word that it finished within SHUTDOWN_TIMEOUT_MS (past it, it exits with 1).
    const code = await server.exited;
    expect(code).toBe(0);
    await expect(fetch(`${server.url}/api/health/live`)).rejects.toThrow();
    expect(server.output()).toContain('"msg":"shut down"');
  });
});

describe("a standalone instance started before its migrations ran (MIGRATE_AT_START=0, the Kubernetes way)", () => {
  it("serves not-ready until `node cli.mjs db migrate` (the migration job) has run, then ready; with an OTLP endpoint it exports traces", async () => {
    const name = throwawayName("gh_deploy_job");
    const url = await createDatabase(name);
    const collector = await startTraceCollector();
    const waiting = startStandalone(PORT + 2, {
      DATABASE_URL: url,
      MIGRATE_AT_START: "0",
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: "200",
    });
    try {
      const notReady = await waitForStatus(`${waiting.url}/api/health/ready`, 503, 120_000, waiting);
      const body = await notReady.json();
      expect(body).toMatchObject({ reason: "migrations pending" });
      expect(body.pendingMigrations).toContain("20261124121700_foundation");
      expect((await fetch(`${waiting.url}/api/health/live`)).status).toBe(200);
      const job = spawnSync(process.execPath, ["cli.mjs", "db", "migrate", "--json"], {
        cwd: standaloneDir,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: url,
          NODE_ENV: "production",
          LOG_LEVEL: "warn",
          PUBLIC_URL: waiting.url,
          PAYMENTS_PROVIDER: "simulated",
          ...testSecrets,
        },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(job.stderr).toBe("");
      expect(job.status).toBe(0);
      expect(JSON.parse(job.stdout).applied.length).toBeGreaterThan(0);
      await waitForStatus(`${waiting.url}/api/health/ready`, 200, 30_000, waiting);
      await new Promise((r) => setTimeout(r, 2500));
      expect(waiting.output(), "the background work started once the schema was current").not.toContain(
        "background work did not start",
      );
      await fetch(`${waiting.url}/sign-in`);
      const spans = await collector.spansWithin(
        20_000,
        (names) => names.some((n) => /GET \/sign-in|\/sign-in/.test(n)) && names.some((n) => /^pg\./.test(n)),
      );
      expect(
        spans.some((n) => /sign-in/.test(n)),
        `span names: ${spans.slice(0, 20).join(", ")}`,
      ).toBe(true);
      expect(
        spans.some((n) => /^pg\./.test(n)),
        "database queries are traced",
      ).toBe(true);
    } finally {
      await collector.stop();
      await stopServer(waiting);
      await dropDatabase(name);
    }
  });
});

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON trace exports and keeps the span names. */
async function startTraceCollector() {
  const names: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const parsed = JSON.parse(body) as { resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[] };
        for (const r of parsed.resourceSpans ?? [])
          for (const s of r.scopeSpans ?? []) for (const span of s.spans ?? []) names.push(span.name);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async spansWithin(timeoutMs: number, done: (names: string[]) => boolean) {
      const until = Date.now() + timeoutMs;
      while (!done(names) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      return names;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
