import { AsyncLocalStorage } from "node:async_hooks";
import { clientAddressOf } from "@/lib/http/client-address";
import { randomBase64url } from "@/lib/crypto/random-base64url";

/**
 * Who and what a request is, available to the domain layer without threading
 * it through every call: the audit chain records the request id, rate limits
 * use the client address.
 */
export type RequestContext = { requestId: string; ipAddress?: string; userAgent?: string };

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function newRequestId(): string {
  return `req_${randomBase64url(9)}`;
}

/**
 * A caller's own request id, kept when it looks like one (as proxy.ts does for
 * pages): it goes into logs and audit events, so an arbitrary header value
 * (kilobytes long, or with characters no id has) is replaced.
 */
export function requestIdFrom(h: Pick<Headers, "get">): string {
  const incoming = h.get("x-request-id");
  return incoming && /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : newRequestId();
}

/** The headers a request context is read from, for route handlers and pages. */
export function requestContextFromHeaders(h: Pick<Headers, "get">): RequestContext {
  return {
    requestId: requestIdFrom(h),
    ipAddress: clientAddressOf(h),
    // Kept with the session for its owner to recognise; a longer header adds nothing to that.
    userAgent: h.get("user-agent")?.slice(0, 512) ?? undefined,
  };
}

/**
 * The current request's context: set explicitly by apiRoute, or read from the
 * headers Next.js exposes to pages and server actions. Outside a request (CLI,
 * workers) there is none.
 */
export async function currentRequestContext(): Promise<RequestContext | undefined> {
  const stored = storage.getStore();
  if (stored) return stored;
  try {
    const { headers } = await import("next/headers");
    return requestContextFromHeaders(await headers());
  } catch {
    return undefined;
  }
}
