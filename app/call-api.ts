/**
 * The browser side of our route handlers: JSON in, JSON out, and the API's
 * `{ error: { code, message } }` turned into an ApiCallError the page can show.
 */
export class ApiCallError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

export async function callApi<T = unknown>(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiCallError(error?.code ?? "INTERNAL", error?.message ?? `Request failed (${res.status}).`, res.status);
  }
  return data as T;
}

/** A message for any failure in a passkey or API step; a cancelled passkey dialog is not an error worth shouting about. */
export function describeFailure(e: unknown): string {
  if (e instanceof ApiCallError) return e.message;
  if (e instanceof Error && (e.name === "NotAllowedError" || e.name === "AbortError")) return "The passkey request was cancelled or timed out.";
  if (e instanceof Error && e.name === "InvalidStateError") return "This device already holds a passkey for your account.";
  return e instanceof Error ? e.message : "Something went wrong.";
}
