import "server-only";
import crypto from "node:crypto";
import { decodeCbor } from "./cbor";

/**
 * Turns a COSE_Key (RFC 9053), as an authenticator hands it over at
 * registration, into a node:crypto public key and the COSE algorithm it signs
 * with. Supported: ES256 (-7, P-256), EdDSA (-8, Ed25519), RS256 (-257) and
 * PS256 (-37): what passkey providers use.
 */
export type CoseAlgorithm = -7 | -8 | -257 | -37;
export type CosePublicKey = { alg: CoseAlgorithm; key: crypto.KeyObject; jwk: crypto.JsonWebKey };

// Node's own base64url, not jose's as elsewhere: the verifier runs for a third party with node:crypto and its
// own files only (tests/unit/governance/verifier-standalone.test.ts).
const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");

function bytesAt(map: Map<unknown, unknown>, label: number): Uint8Array {
  const v = map.get(label);
  if (!(v instanceof Uint8Array)) throw new Error(`COSE key: parameter ${label} missing`);
  return v;
}

export function coseKeyToJwk(cose: Uint8Array): { alg: CoseAlgorithm; jwk: crypto.JsonWebKey } {
  const map = decodeCbor(cose);
  if (!(map instanceof Map)) throw new Error("COSE key: not a map");
  const kty = map.get(1);
  const alg = map.get(3);
  if (kty === 2 && alg === -7) {
    if (map.get(-1) !== 1) throw new Error("COSE key: only the P-256 curve is supported for ES256");
    return { alg, jwk: { kty: "EC", crv: "P-256", x: b64u(bytesAt(map, -2)), y: b64u(bytesAt(map, -3)) } };
  }
  if (kty === 1 && alg === -8) {
    if (map.get(-1) !== 6) throw new Error("COSE key: only Ed25519 is supported for EdDSA");
    return { alg, jwk: { kty: "OKP", crv: "Ed25519", x: b64u(bytesAt(map, -2)) } };
  }
  if (kty === 3 && (alg === -257 || alg === -37)) {
    return { alg, jwk: { kty: "RSA", n: b64u(bytesAt(map, -1)), e: b64u(bytesAt(map, -2)) } };
  }
  throw new Error(`COSE key: unsupported key type ${String(kty)} / algorithm ${String(alg)}`);
}

// A voter signs many ballots with one key; importing it once is most of the cost saved.
const imported = new Map<string, CosePublicKey>();

export function importCoseKey(cose: Uint8Array): CosePublicKey {
  const cacheKey = Buffer.from(cose).toString("base64url");
  const hit = imported.get(cacheKey);
  if (hit) return hit;
  const { alg, jwk } = coseKeyToJwk(cose);
  const key = { alg, jwk, key: crypto.createPublicKey({ key: jwk, format: "jwk" }) };
  if (imported.size > 10_000) imported.clear();
  imported.set(cacheKey, key);
  return key;
}

/** Verifies a WebAuthn signature (DER for ECDSA, as authenticators produce it). */
export function verifyCoseSignature(pub: CosePublicKey, data: Buffer, signature: Buffer): boolean {
  switch (pub.alg) {
    case -7:
      return crypto.verify("sha256", data, { key: pub.key, dsaEncoding: "der" }, signature);
    case -8:
      return crypto.verify(null, data, pub.key, signature);
    case -257:
      return crypto.verify("sha256", data, { key: pub.key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
    case -37:
      return crypto.verify(
        "sha256",
        data,
        { key: pub.key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signature,
      );
  }
}
