import "server-only";
import { importJWK, type JWK } from "jose";

// Members that only a private or a symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const SECRET_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALG_OF_CURVE: Record<string, string> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512", Ed25519: "EdDSA" };

/**
 * What is wrong with a client's registered key set, or undefined when
 * nothing is (RFC 7591 §2: the client's public keys). Checks, key by key:
 * - an asymmetric key type (RSA, EC, OKP): a symmetric key (oct) would be a
 *   shared secret published in our database, and we verify client JWTs
 *   only with public keys;
 * - no private member: a client that sends its private key has leaked it;
 * - `use`, when given, is "sig" (we only verify signatures with these keys);
 * - jose imports it as a public key for its algorithm (the one it names, or
 *   the usual one for its type), so a malformed modulus or a point off its
 *   curve is refused at registration rather than at the first assertion;
 *   an RSA modulus has at least 2048 bits (RFC 7518 §3.3).
 */
export async function clientJwksProblem(keys: Record<string, unknown>[]): Promise<string | undefined> {
  for (const [i, key] of keys.entries()) {
    const where = `key ${i + 1}`;
    if (key.kty === "oct") return `${where}: symmetric keys (kty "oct") are not accepted`;
    if (key.kty !== "RSA" && key.kty !== "EC" && key.kty !== "OKP") return `${where}: kty must be RSA, EC or OKP`;
    const secret = SECRET_MEMBERS.find((m) => m in key);
    if (secret) return `${where}: a public key has no "${secret}" member; never send a private key`;
    if (key.use !== undefined && key.use !== "sig") return `${where}: use must be "sig"`;
    if (key.kid !== undefined && typeof key.kid !== "string") return `${where}: kid must be a string`;
    const notBase64url = ["n", "e", "x", "y"].find((m) => m in key && !BASE64URL.test(String(key[m])));
    if (notBase64url) return `${where}: "${notBase64url}" is not base64url`;
    const alg =
      typeof key.alg === "string" ? key.alg : key.kty === "RSA" ? "RS256" : (ALG_OF_CURVE[String(key.crv)] ?? "");
    try {
      const imported = await importJWK(key as JWK, alg);
      if (imported instanceof Uint8Array || imported.type !== "public") throw new Error("not a public key");
      const { modulusLength } = imported.algorithm as { modulusLength?: number };
      if (modulusLength !== undefined && modulusLength < 2048) return `${where}: RSA keys have at least 2048 bits`;
    } catch {
      return `${where}: not a valid public ${String(key.kty)} key for ${alg || "any supported algorithm"}`;
    }
  }
  return undefined;
}
