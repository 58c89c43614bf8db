/** POSTs JSON from a client component; answers the body, or throws the API's error message. */
export async function postJson<T>(url: string, body: unknown, method = "POST"): Promise<T> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = (data as { error?: { message?: string; reason?: string; code?: string } }).error;
    throw new Error(`${err?.message ?? `HTTP ${res.status}`}${err?.reason ? ` (${err.reason})` : err?.code ? ` (${err.code})` : ""}`);
  }
  return data as T;
}

/** A link that saves text as a file, made from a Blob in the browser. */
export function downloadUrl(text: string, type = "application/x-pem-file"): string {
  return URL.createObjectURL(new Blob([text], { type }));
}
