import "server-only";
/**
 * Whether an error means the database could not be reached or dropped the
 * connection (a failover, a restart, an administrator ending connections),
 * rather than refusing the statement itself. Such a failure says nothing
 * about the request: the API answers 503 and the client may retry (safely
 * when the request carries an Idempotency-Key), while the pool replaces the
 * connection on its own. Checks the error and its causes, whatever layer
 * (node-postgres, Prisma's driver adapter, Prisma) wrapped it.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown: the server is stopping (a switchover, a restart)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or in recovery
  "25006", // read_only_sql_transaction: connected to a standby that was the primary a moment ago
  "53300", // too_many_connections
  "55000", // object_not_in_prerequisite_state: "database is not currently accepting connections"
]);
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "ConnectionClosed",
  "DatabaseNotReachable",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionAlreadyClosed",
]);
const UNAVAILABLE_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const UNAVAILABLE_MESSAGES =
  /connection terminated|terminating connection|server closed the connection|connection is closed|timeout exceeded when trying to connect|not queryable|can't reach database server|connection refused|not currently accepting connections/i;

type ErrorLike = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
};

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const e = error as ErrorLike;
  const code = typeof e.code === "string" ? e.code : undefined;
  if (
    code &&
    (UNAVAILABLE_SQLSTATES.has(code) ||
      code.startsWith("08") ||
      UNAVAILABLE_PRISMA_CODES.has(code) ||
      UNAVAILABLE_NODE_CODES.has(code))
  )
    return true;
  if (typeof e.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.meta?.code === "string" && (UNAVAILABLE_SQLSTATES.has(e.meta.code) || e.meta.code.startsWith("08")))
    return true;
  if (typeof e.message === "string") {
    if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
    // Prisma names the server's SQLSTATE only in its message: "Database error. Code: `57P01`".
    const sqlstate = /Code: `([0-9A-Z]{5})`/.exec(e.message)?.[1];
    if (sqlstate && (UNAVAILABLE_SQLSTATES.has(sqlstate) || sqlstate.startsWith("08"))) return true;
  }
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}
