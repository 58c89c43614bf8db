import "server-only";
import http from "node:http";
import { metrics } from "@/lib/ops/metrics";
import { routeMatcher } from "@/lib/ops/route-of-path";

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Times every request the process's HTTP server receives, by method, route
 * and status, and counts those in flight. Installed from instrumentation.ts
 * after the protocol fast lane, so it wraps it and sees the requests the lane
 * answers itself as well as Next's.
 */
export function installRequestMetrics(): void {
  const proto = http.Server.prototype as http.Server & { guildhallRequestMetrics?: boolean };
  if (proto.guildhallRequestMetrics) return;
  proto.guildhallRequestMetrics = true;
  const m = metrics();
  const routeOf = routeMatcher();
  const emit = proto.emit as Emit;
  const timed: Emit = function (event, ...args) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const res = args[1] as http.ServerResponse;
      const started = process.hrtime.bigint();
      m.httpRequestsInFlight.inc();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        m.httpRequestsInFlight.dec();
        const url = req.url ?? "/";
        const query = url.indexOf("?");
        const labels = {
          method: req.method ?? "GET",
          route: routeOf(query < 0 ? url : url.slice(0, query)),
          status: String(res.statusCode),
        };
        m.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      };
      res.once("finish", finish);
      res.once("close", finish);
    }
    return emit.call(this, event, ...args);
  };
  proto.emit = timed as typeof proto.emit;
}
