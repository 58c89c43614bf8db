import { SignJWT, createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyOptions, type JWK } from "jose";
import { getActiveSigningKey, type ActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import type { IdTokenAlg } from "@/lib/oidc/config";
import type { SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";

/**
 * The OIDC signing keys, cached per process. Both caches hold only what the
 * database derives, so instances agree within the TTL: the active key is
 * re-read every ACTIVE_KEY_TTL_MS (a key rotated elsewhere is picked up, and
 * the retired one stays published during its overlap, so tokens it signed
 * in the meantime still verify), the published set every JWKS_TTL_MS.
 */
const ACTIVE_KEY_TTL_MS = 30_000;
const JWKS_TTL_MS = 5_000;

const purposeOf: Record<IdTokenAlg, SigningKeyPurpose> = { RS256: "oidc-rs256", ES256: "oidc-es256" };
export const OIDC_KEY_PURPOSES: SigningKeyPurpose[] = ["oidc-rs256", "oidc-es256"];

type JwksEntry = { at: number; jwks: Promise<{ keys: JWK[] }>; body: Promise<string>; keySet: Promise<ReturnType<typeof createLocalJWKSet>>; bodyReady?: string };
type OidcKeyCache = { active: Map<IdTokenAlg, { at: number; key: Promise<ActiveSigningKey> }>; jwks?: JwksEntry };

// On globalThis, not in module variables: the protocol fast lane, loaded from
// instrumentation.ts, and the app's route bundles may each get their own copy
// of this module, and forgetOidcKeys() after a rotation must reach both.
const globalForKeys = globalThis as unknown as { guildhallOidcKeys?: OidcKeyCache };
const keyCache: OidcKeyCache = (globalForKeys.guildhallOidcKeys ??= { active: new Map() });
const active = keyCache.active;

async function activeKey(alg: IdTokenAlg): Promise<ActiveSigningKey> {
  const hit = active.get(alg);
  if (hit && Date.now() - hit.at < ACTIVE_KEY_TTL_MS) return hit.key;
  const key = getActiveSigningKey(purposeOf[alg]);
  active.set(alg, { at: Date.now(), key });
  key.catch(() => active.delete(alg));
  return key;
}

/**
 * Loads (and on first use creates) both signing keys. Called before a
 * transaction that signs, so that key generation, which can take seconds,
 * never runs while rows are locked.
 */
export async function ensureOidcSigningKeys(): Promise<void> {
  await Promise.all([activeKey("RS256"), activeKey("ES256")]);
}

/** Signs a JWT with the active key for `alg`, with its kid and the given typ. */
export async function signOidcJwt(payload: JWTPayload, opts: { alg: IdTokenAlg; typ: string }): Promise<string> {
  const key = await activeKey(opts.alg);
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: opts.typ }).sign(key.privateKey);
}

/** The published OIDC keys (active and those still in their overlap). */
export function oidcJwks(): Promise<{ keys: JWK[] }> {
  return cachedJwks().jwks;
}

/** The JWKS document as served, serialized once per TTL. */
export function oidcJwksBody(): Promise<string> {
  return cachedJwks().body;
}

/** The JWKS document when it is already serialized and fresh, without waiting: the fast lane's common case. */
export function oidcJwksBodyIfReady(): string | undefined {
  return cachedJwks().bodyReady;
}

function cachedJwks(force = false) {
  const cached = keyCache.jwks;
  if (!force && cached && Date.now() - cached.at < JWKS_TTL_MS) return cached;
  // Making sure the active keys exist first, so the very first JWKS a verifier sees already has them.
  const jwks = Promise.all([activeKey("RS256"), activeKey("ES256")]).then(() => getPublicJwks(OIDC_KEY_PURPOSES)).then((set) => ({ keys: set.keys.map(({ kid, kty, alg, use, n, e, crv, x, y }) => ({ kid, kty, alg, use, n, e, crv, x, y })) }));
  // One key set per cache entry, so imported verification keys are reused across requests.
  const entry: JwksEntry = { at: Date.now(), jwks, body: jwks.then((j) => JSON.stringify(j)), keySet: jwks.then((j) => createLocalJWKSet(j)) };
  entry.body.then((body) => (entry.bodyReady = body), () => undefined);
  jwks.catch(() => {
    if (keyCache.jwks === entry) keyCache.jwks = undefined;
  });
  keyCache.jwks = entry;
  return entry;
}

/** Drops the caches after a rotation in this process, so it takes effect at once here. */
export function forgetOidcKeys(): void {
  active.clear();
  keyCache.jwks = undefined;
}

/**
 * Verifies a JWT we signed (access token, ID token hint). A kid unknown to the
 * cached set makes one fresh read, so a key made by another instance is found.
 */
export async function verifyOidcJwt(token: string, opts: JWTVerifyOptions) {
  const options = { algorithms: ["RS256", "ES256"], ...opts };
  try {
    return await jwtVerify(token, await cachedJwks().keySet, options);
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY") throw e;
    return jwtVerify(token, await cachedJwks(true).keySet, options);
  }
}
