import { env } from "@/lib/config/env";
import { peerAddressOf } from "@/lib/http/peer-address";

/**
 * The client's address, for rate limits and session records. X-Forwarded-For
 * is whatever the client sent unless a proxy we trust wrote it, so it is used
 * only with TRUST_PROXY=1 (the portal behind a load balancer); otherwise the
 * TCP peer address stamped by lib/http/peer-address.ts counts.
 */
export function clientAddressOf(headers: Pick<Headers, "get">): string | undefined {
  if (env().trustProxy) {
    const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    return forwarded || headers.get("x-real-ip") || undefined;
  }
  return peerAddressOf(headers);
}
