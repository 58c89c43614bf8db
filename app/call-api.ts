/**
 * The browser side of our JSON route handlers, the one helper every client
 * component calls: JSON in, JSON out, and the API's
 * `{ error: { code, message, reason? } }` turned into an ApiCallError the page
 * can show.
 */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export async function callApi<T = unknown>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string; reason?: string } } | null)?.error;
    throw new ApiCallError(
      error?.code ?? "INTERNAL",
      error?.message ?? `Request failed (${res.status}).`,
      res.status,
      error?.reason,
    );
  }
  return data as T;
}

/**
 * A message for any failure in a passkey or API step; a cancelled passkey
 * dialog is not an error worth shouting about. `withReason` adds the API's
 * reason (or code) in brackets, for staff pages where it helps to quote it.
 */
export function describeFailure(e: unknown, opts: { withReason?: boolean } = {}): string {
  // A validation message already names the field in words; its reason is the field's path, for programs.
  if (e instanceof ApiCallError)
    return opts.withReason && e.code !== "VALIDATION_FAILED" ? `${e.message} (${e.reason ?? e.code})` : e.message;
  if (e instanceof Error && (e.name === "NotAllowedError" || e.name === "AbortError"))
    return "The passkey request was cancelled or timed out.";
  if (e instanceof Error && e.name === "InvalidStateError")
    return "This device already holds a passkey for your account.";
  return e instanceof Error ? e.message : "Something went wrong.";
}
