import "server-only";
import { env } from "@/lib/config/env";
import { peerAddressOf } from "@/lib/http/peer-address";

/**
 * The client's address, for rate limits and session records.
 *
 * With no proxy in front (TRUST_PROXY_HOPS=0) it is the TCP peer, stamped by
 * lib/http/peer-address.ts. Behind N proxies, each appends the address it saw
 * to X-Forwarded-For, so the last N entries were written by proxies we trust
 * and everything before them by the client, who can write anything there.
 * The client's address is the entry the outermost trusted proxy appended:
 * the Nth from the right. Taking the leftmost entry, as this once did, let
 * anyone pick their own address per request and walk past every per-address
 * limit. With fewer entries than hops (the request skipped a proxy) the
 * leftmost is still one a trusted proxy wrote; with none, the peer counts.
 */
export function clientAddressOf(headers: Pick<Headers, "get">): string | undefined {
  const hops = env().trustProxyHops;
  if (hops > 0) {
    const entries = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length > 0) return entries[Math.max(0, entries.length - hops)];
  }
  return peerAddressOf(headers);
}
