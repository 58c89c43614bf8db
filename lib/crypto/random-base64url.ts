import crypto from "node:crypto";

// Random bytes drawn in batches: one small draw per id cost a system call's
// worth of overhead on the hottest endpoints (an id per request, a jti per
// token). Ids only need to be unique and unguessable, which a slice of a
// larger draw from the same CSPRNG still is; no byte is handed out twice.
const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let offset = 0;

/** `bytes` fresh random bytes (at most 256), base64url-encoded. */
export function randomBase64url(bytes: number): string {
  return pooledRandomBytes(bytes).toString("base64url");
}

/**
 * `bytes` fresh random bytes (at most 256), as a view of the pool (no copy): the salts of the log's
 * commitments, thousands per integration round. Nothing may write to it.
 */
export function pooledRandomBytes(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    pool = crypto.randomBytes(Math.max(POOL_BYTES, bytes));
    offset = 0;
  }
  offset += bytes;
  return pool.subarray(offset - bytes, offset);
}
