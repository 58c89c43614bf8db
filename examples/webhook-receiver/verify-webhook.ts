import { createPublicKey, verify, type KeyObject } from "node:crypto";

/**
 * Verifies a Guildhall webhook as the Standard Webhooks specification asks,
 * with node:crypto only, so a host or theater can copy this file alone:
 *  - the three headers are there, the id has no `.` and the timestamp is an integer;
 *  - the timestamp is within `toleranceSeconds` of now (either side): an old message replayed is refused;
 *  - one of the `v1a,` signatures in `webhook-signature` verifies (Ed25519 over `id.timestamp.body`, the body
 *    byte for byte as received) with one of the pinned keys, never a key the request names;
 *  - the body is JSON and names this receiver's own subscription: the one key signs for every subscriber, so
 *    a message captured from another subscriber's endpoint is refused here;
 *  - the id was not seen in the tolerance window: the same message twice is processed once.
 * Each refusal has a code, so the receiver can log it and answer 400.
 */
export type WebhookRefusal =
  | "MISSING_HEADERS"
  | "BAD_TIMESTAMP"
  | "TIMESTAMP_OUT_OF_TOLERANCE"
  | "BAD_SIGNATURE"
  | "BAD_BODY"
  | "WRONG_SUBSCRIPTION";

export type VerifiedWebhook = {
  id: string;
  timestamp: number;
  event: { type: string; timestamp: string; subscription: string; data: Record<string, unknown> };
  duplicate: boolean;
};

export class WebhookVerificationError extends Error {
  constructor(readonly code: WebhookRefusal) {
    super(code);
  }
}

/** A public key from `whpk_<base64 of the 32 raw bytes>` (the specification's form) or a JWK. */
export function importWebhookKey(key: string | { kty: string; crv?: string; x?: string }): KeyObject {
  if (typeof key !== "string") return createPublicKey({ key: key as import("node:crypto").JsonWebKey, format: "jwk" });
  if (!key.startsWith("whpk_")) throw new Error("a webhook public key starts with whpk_");
  const raw = Buffer.from(key.slice("whpk_".length), "base64");
  if (raw.length !== 32) throw new Error("an Ed25519 public key is 32 bytes");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
}

export function createWebhookVerifier(opts: {
  keys: KeyObject[];
  subscriptionId: string;
  toleranceSeconds?: number;
  now?: () => number;
}) {
  const tolerance = opts.toleranceSeconds ?? 300;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  // Ids seen, with when they stop mattering: after the tolerance, a replay is refused by its timestamp anyway.
  const seen = new Map<string, number>();

  return function verifyWebhook(headers: Record<string, string | undefined>, rawBody: Buffer): VerifiedWebhook {
    const id = headers["webhook-id"];
    const ts = headers["webhook-timestamp"];
    const signatures = headers["webhook-signature"];
    if (!id || !ts || !signatures || id.includes(".")) throw new WebhookVerificationError("MISSING_HEADERS");
    if (!/^\d{1,12}$/.test(ts)) throw new WebhookVerificationError("BAD_TIMESTAMP");
    const timestamp = Number(ts);
    const current = now();
    if (Math.abs(current - timestamp) > tolerance) throw new WebhookVerificationError("TIMESTAMP_OUT_OF_TOLERANCE");
    const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), rawBody]);
    const valid = signatures
      .split(" ")
      .filter((s) => s.startsWith("v1a,"))
      .some((s) => {
        const signature = Buffer.from(s.slice(4), "base64");
        return signature.length === 64 && opts.keys.some((k) => verify(null, content, k, signature));
      });
    if (!valid) throw new WebhookVerificationError("BAD_SIGNATURE");
    let event: VerifiedWebhook["event"];
    try {
      event = JSON.parse(rawBody.toString("utf8"));
    } catch {
      throw new WebhookVerificationError("BAD_BODY");
    }
    if (typeof event !== "object" || event === null || typeof event.type !== "string")
      throw new WebhookVerificationError("BAD_BODY");
    if (event.subscription !== opts.subscriptionId) throw new WebhookVerificationError("WRONG_SUBSCRIPTION");
    for (const [seenId, until] of seen) if (until < current) seen.delete(seenId);
    const duplicate = seen.has(id);
    seen.set(id, current + 2 * tolerance);
    return { id, timestamp, event, duplicate };
  };
}
