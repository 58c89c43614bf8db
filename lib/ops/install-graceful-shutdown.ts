import "server-only";
import http from "node:http";
import { processState } from "@/lib/ops/process-state";
import { log } from "@/lib/log";

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
type Step = () => Promise<unknown>;

const servers = new Set<http.Server>();
let inFlight = 0;
let allServed: (() => void) | undefined;
let listenersClosed = false;

/** Follows the process's HTTP servers and the requests they serve; while draining, answers carry Connection: close. */
function trackServers(): void {
  const proto = http.Server.prototype as http.Server & { guildhallShutdownTracking?: boolean };
  if (proto.guildhallShutdownTracking) return;
  proto.guildhallShutdownTracking = true;
  const emit = proto.emit as Emit;
  const tracked: Emit = function (event, ...args) {
    if ((event === "connection" || event === "request") && !servers.has(this)) {
      servers.add(this);
      // A server first seen after the others closed (it had had no connection) closes too.
      if (listenersClosed) this.close();
    }
    if (event === "request") {
      const res = args[1] as http.ServerResponse;
      inFlight++;
      // A keep-alive client (the balancer) then opens its next connection to an instance that stays.
      if (processState.draining) res.shouldKeepAlive = false;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        inFlight--;
        if (inFlight === 0) allServed?.();
      };
      res.once("finish", finish);
      res.once("close", finish);
    }
    return emit.call(this, event, ...args);
  };
  proto.emit = tracked as typeof proto.emit;
}

function untilServed(): Promise<void> {
  return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (allServed = resolve));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Replaces Next's SIGTERM/SIGINT handling (which closes the listener at once
 * and exits without stopping our workers) with an orderly stop, bounded by
 * `timeoutMs` (after which the process exits with status 1):
 * 1. readiness answers 503, so balancers and Kubernetes stop routing here;
 *    requests keep being served for `delayMs` while they notice;
 * 2. the listeners close (no new connections) and idle keep-alive
 *    connections with them; requests in flight are finished;
 * 3. meanwhile `stopWork` stops the background tasks, waiting for a running
 *    round (an outbox delivery, a sweep) to end and release its lock;
 * 4. `closeResources` closes the database (the embedded one's lock file goes
 *    with it); then the process exits with status 0.
 */
export function installGracefulShutdown(opts: {
  delayMs: number;
  timeoutMs: number;
  stopWork: Step;
  closeResources: Step;
}): void {
  trackServers();
  let started = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    processState.draining = true;
    log.info({ signal, delayMs: opts.delayMs, timeoutMs: opts.timeoutMs }, "shutting down");
    setTimeout(() => {
      log.error({ inFlight }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, opts.timeoutMs).unref();
    void (async () => {
      await sleep(opts.delayMs);
      for (const server of servers) {
        server.close();
        server.closeIdleConnections();
      }
      listenersClosed = true;
      const work = opts.stopWork();
      await untilServed();
      await work;
      await opts.closeResources();
      log.info({ signal }, "shut down");
      process.exit(0);
    })().catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, "shutdown failed");
      process.exit(1);
    });
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, shutdown);
  }
}
