/** Browser-side JSON calls to the governance API; an error body becomes a thrown Error with its message. */
export async function sendJson<T>(method: "POST" | "PUT", url: string, body: unknown = {}): Promise<T> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as T & { error?: { message?: string; reason?: string } };
  if (!res.ok) throw new Error(data.error?.message ?? `Request failed (${res.status})`);
  return data;
}
