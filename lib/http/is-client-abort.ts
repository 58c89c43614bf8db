import "server-only";
/**
 * Whether an error means the client went away before its request was read
 * (it closed the connection mid-body, or gave up waiting). That is no fault
 * of the server, so it is logged as information, not as an error: an
 * error-level line per impatient client would bury the real failures and
 * page someone for nothing. Node reports it as "aborted" (ECONNRESET) on
 * the request stream, undici as an AbortError or "terminated" when Next's
 * Request body is read; the reason may sit in `cause`.
 */
export function isClientAbort(e: unknown): boolean {
  for (let at = e, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ABORT_ERR") return true;
    if (at.name === "AbortError" || at.name === "ResponseAborted") return true;
    if (at.message === "aborted" || at.message === "terminated") return true;
  }
  return false;
}

/** The error a request stream is rejected with when it closes before its end. */
export function clientAbortError(): Error {
  return Object.assign(new Error("aborted"), { code: "ECONNRESET" });
}
