import crypto from "node:crypto";

/**
 * SHA-256 as lower-case hex; how tokens, codes and secrets are stored. One-shot (crypto.hash): no Hash object per
 * call, which the log's integrator makes thousands of a round.
 */
export function sha256Hex(input: string | Buffer): string {
  return crypto.hash("sha256", input, "hex");
}

/** A random secret of `bytes` bytes (default 32 = 256 bits), base64url. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** Compares two secrets in constant time, whatever their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash("sha256").update(a).digest();
  const hb = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}
