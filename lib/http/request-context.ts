import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { clientAddressOf } from "@/lib/http/client-address";

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

// Random bytes drawn in batches: one 9-byte draw per request cost a syscall's
// worth of overhead on the hottest endpoints. Ids only need to be unique and
// unguessable, which a slice of a larger random draw still is.
const ID_BYTES = 9;
let pool = Buffer.alloc(0);
let poolOffset = 0;

export function newRequestId(): string {
  if (poolOffset + ID_BYTES > pool.length) {
    pool = crypto.randomBytes(ID_BYTES * 512);
    poolOffset = 0;
  }
  poolOffset += ID_BYTES;
  return `req_${pool.toString("base64url", poolOffset - ID_BYTES, poolOffset)}`;
}

/** The headers a request context is read from, for route handlers and pages. */
export function requestContextFromHeaders(h: Headers): RequestContext {
  return {
    requestId: h.get("x-request-id") ?? newRequestId(),
    ipAddress: clientAddressOf(h),
    userAgent: h.get("user-agent") ?? undefined,
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
