import "server-only";
import crypto from "node:crypto";
import pg from "pg";
import { engine } from "@/lib/db/client";
import { log } from "@/lib/log";
import { processSlot } from "@/lib/process-state";
import { limits } from "@/lib/config/limits";

/**
 * The database's change notifications for this process's caches. Triggers
 * (migration 20261124190000_oidc_state_invalidation) notify CHANNEL when the
 * state a cache holds changes, whoever changes it; a dedicated connection
 * listens, and every notification drops every cache (lib/db/invalidated-cache.ts).
 *
 * The feed is "live" only while notifications are proven to arrive: this
 * process sends itself a heartbeat through the shared pool every
 * limits.invalidationFeed.heartbeatMs and goes dark when none has come back for
 * limits.invalidationFeed.heartbeatTimeoutMs (a lost connection, a pooler in transaction mode that
 * swallows LISTEN, a network partition that raises no error). Dark means
 * nothing is cached: every read goes to the database, as if there were no
 * cache. Only on the Postgres server; the embedded PGlite engine never caches.
 */
const INVALIDATION_CHANNEL = "guildhall_invalidate";

type FeedState = {
  live: boolean;
  /** Markers sent by awaitNotificationsDelivered, resolved when they come back. */
  barriers: Map<string, () => void>;
  /** Bumped by every invalidation: a read that started before one must not fill a cache after it. */
  generation: number;
  caches: Set<{ clear(): void }>;
};

// One per process (lib/process-state.ts): the protocol fast lane and the app's
// route bundles may each get their own copy of this module, and one
// notification must reach the caches of both.
export const invalidationFeed: FeedState = processSlot<FeedState>("invalidationFeed").getOrInit(() => ({
  live: false,
  barriers: new Map(),
  generation: 0,
  caches: new Set(),
}));

/**
 * Drops every cache of this process. The triggers' notification does it too,
 * a moment after the commit; the domain functions that change cached state
 * call this as well, so that this process sees their change at once.
 */
export function invalidateLocalCaches(): void {
  invalidationFeed.generation++;
  for (const cache of invalidationFeed.caches) cache.clear();
}

/** Sends a marker on the channel through the shared pool, as any other commit's notification travels. */
function notifyThroughPool(pool: pg.Pool, payload: string): Promise<void> {
  return pool.query("SELECT pg_notify($1, $2)", [INVALIDATION_CHANNEL, payload]).then(() => undefined);
}

function setLive(live: boolean, why: string): void {
  if (invalidationFeed.live === live) return;
  invalidateLocalCaches();
  invalidationFeed.live = live;
  if (live) log.info({ why }, "invalidation feed live: caching database state");
  else log.warn({ why }, "invalidation feed dark: not caching database state");
}

/**
 * Starts listening (Postgres only; a no-op on PGlite) and returns a function
 * that stops. Reconnects on its own after a lost connection.
 */
export function startInvalidationFeed(): () => Promise<void> {
  const e = engine();
  if (e.kind !== "postgres") return async () => {};
  const heartbeat = `heartbeat:${process.pid}:${crypto.randomBytes(6).toString("hex")}`;
  let client: pg.Client | undefined;
  let stopped = false;
  let lastHeartbeatAt = 0;
  let reconnect: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new pg.Client({ connectionString: e.url, keepAlive: true });
    client = c;
    const lost = (why: string) => {
      if (client !== c) return;
      client = undefined;
      setLive(false, why);
      c.end().catch(() => {});
      if (!stopped) reconnect = setTimeout(() => void connect(), limits.invalidationFeed.reconnectMs);
    };
    c.on("error", (err) => lost(err.message));
    c.on("end", () => lost("connection ended"));
    c.on("notification", (n) => {
      if (n.channel !== INVALIDATION_CHANNEL) return;
      if (n.payload === heartbeat) {
        lastHeartbeatAt = Date.now();
        setLive(true, "heartbeat received");
      } else if (n.payload?.startsWith("barrier:")) {
        invalidationFeed.barriers.get(n.payload)?.();
        invalidationFeed.barriers.delete(n.payload);
      } else if (!n.payload?.startsWith("heartbeat:")) invalidateLocalCaches();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${INVALIDATION_CHANNEL}`);
      await sendHeartbeat();
    } catch (err) {
      lost(err instanceof Error ? err.message : String(err));
    }
  };

  const sendHeartbeat = () => notifyThroughPool(e.pool, heartbeat);

  const ticker = setInterval(() => {
    if (invalidationFeed.live && Date.now() - lastHeartbeatAt > limits.invalidationFeed.heartbeatTimeoutMs)
      setLive(false, "no heartbeat came back");
    if (client) sendHeartbeat().catch((err) => log.warn({ err: String(err) }, "invalidation heartbeat failed"));
  }, limits.invalidationFeed.heartbeatMs);
  ticker.unref();
  void connect();

  return async () => {
    stopped = true;
    clearInterval(ticker);
    clearTimeout(reconnect);
    const c = client;
    client = undefined;
    setLive(false, "stopped");
    await c?.end().catch(() => {});
  };
}

/**
 * Resolves once every notification of a transaction committed before the call
 * has reached this process: Postgres delivers notifications in commit order,
 * so a marker sent now arrives after them. Rejects after timeoutMs, or at once
 * when the feed is dark (nothing is cached then, so nothing is pending).
 */
export async function awaitNotificationsDelivered(timeoutMs = 10_000): Promise<void> {
  const e = engine();
  if (e.kind !== "postgres" || !invalidationFeed.live) return;
  const marker = `barrier:${process.pid}:${crypto.randomBytes(6).toString("hex")}`;
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((resolve, reject) => {
    invalidationFeed.barriers.set(marker, resolve);
    timer = setTimeout(() => {
      invalidationFeed.barriers.delete(marker);
      reject(new Error(`no notification came back within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await notifyThroughPool(e.pool, marker);
    await arrived;
  } finally {
    clearTimeout(timer);
  }
}
