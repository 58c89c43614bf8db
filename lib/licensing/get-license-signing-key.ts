import "server-only";
import { getActiveSigningKey, type ActiveSigningKey } from "@/lib/keys/get-active-signing-key";

// The active license key is looked up at most every few seconds instead of
// once per issuance. A rotation is seen that much later, which is harmless:
// the previous key stays published for years (publishDaysAfterRetire).
const TTL_MS = 5_000;
let cached: { key: Promise<ActiveSigningKey>; at: number } | undefined;

/** The key that signs license documents now (purpose "license", EdDSA). */
export function getLicenseSigningKey(): Promise<ActiveSigningKey> {
  if (!cached || Date.now() - cached.at > TTL_MS) {
    const key = getActiveSigningKey("license");
    cached = { key, at: Date.now() };
    key.catch(() => (cached = undefined));
  }
  return cached.key;
}
