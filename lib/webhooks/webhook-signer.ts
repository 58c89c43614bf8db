import "server-only";
import { createPublicKey, sign, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";

/**
 * Standard Webhooks' asymmetric scheme (`v1a`): Ed25519 over
 * `{webhook-id}.{webhook-timestamp}.{body}`, base64 in the
 * `webhook-signature` header. node:crypto signs it: the scheme is one call of
 * a standard primitive, and the maintained JavaScript library of the
 * specification implements only the symmetric `v1`.
 */
export function signWebhookContent(key: KeyObject, p: { id: string; timestamp: number; body: string }): string {
  const signature = sign(null, Buffer.from(`${p.id}.${p.timestamp}.${p.body}`, "utf8"), key);
  return `v1a,${signature.toString("base64")}`;
}

let cached: { key: KeyObject; until: number } | undefined;

/**
 * The webhook key (purpose `webhook`), looked up at most every 30 seconds per
 * process: a fan-out signs a thousand deliveries, and a rotation needs to show
 * only within a retry or two (the old key stays published for a week).
 */
export async function webhookSigningKey(): Promise<KeyObject> {
  const now = Date.now();
  if (cached && cached.until > now) return cached.key;
  const { privateKey } = await getActiveSigningKey("webhook");
  cached = { key: privateKey, until: now + 30_000 };
  return privateKey;
}

/** Drops the cached key (tests that rotate it). */
export function forgetWebhookSigningKey(): void {
  cached = undefined;
}

/** A public key in the specification's serialization: `whpk_` and the base64 of its 32 raw bytes. */
export function whpkOf(jwk: JWK): string {
  const spki = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" }).export({
    type: "spki",
    format: "der",
  });
  return `whpk_${spki.subarray(spki.length - 32).toString("base64")}`;
}

/**
 * The published webhook keys (the active one and any retired one still in its
 * overlap), each as a JWK with its `whpk_` form beside it: every subscriber
 * verifies with the same keys, fetched once and pinned.
 */
export async function publishedWebhookKeys(): Promise<{ keys: (JWK & { whpk: string })[] }> {
  if (!cached) await webhookSigningKey(); // made on first use, so the list is never empty
  const { keys } = await getPublicJwks(["webhook"]);
  return { keys: keys.map((k) => ({ ...k, whpk: whpkOf(k) })) };
}
