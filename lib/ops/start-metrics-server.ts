import "server-only";
import { EventEmitter } from "node:events";
import http from "node:http";
import { metrics } from "@/lib/ops/metrics";
import { registerDatabaseGauges } from "@/lib/ops/database-gauges";
import { log } from "@/lib/log";

/**
 * Serves GET /metrics (Prometheus text format) on a port of its own, apart
 * from the portal: it is reached by the scraper on the private network and
 * never through the public balancer or ingress. Returns the server (tests close it).
 */
export function startMetricsServer(port: number, host: string): http.Server {
  const m = metrics();
  registerDatabaseGauges(m);
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    m.registry
      .metrics()
      .then((body) =>
        res.writeHead(200, { "content-type": m.registry.contentType, "cache-control": "no-store" }).end(body),
      )
      .catch((err: unknown) => {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, "metrics collection failed");
        res.writeHead(500, { "content-type": "text/plain" }).end("metrics collection failed\n");
      });
  });
  // Its own emit, past the patches on http.Server.prototype (peer address, protocol fast lane,
  // request metrics): this port answers GET /metrics and nothing else, and is not timed itself.
  server.emit = EventEmitter.prototype.emit;
  // A scraper keeps its connection between scrapes (Prometheus every 15 s or more): with Node's 5 s idle
  // timeout a scrape could reuse the connection just as the server closed it ("other side closed" under load).
  // Kept as long as the portal's own port keeps idle connections (KEEP_ALIVE_TIMEOUT, 65 s in the image), so a
  // scrape interval under a minute reuses one connection.
  server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_TIMEOUT) || 65_000;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  server.on("error", (err) => log.error({ err: err.message, port, host }, "metrics server failed"));
  server.listen(port, host, () => log.info({ port, host }, "metrics served at /metrics"));
  server.unref();
  return server;
}
