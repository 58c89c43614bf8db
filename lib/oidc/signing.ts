import "server-only";
import { SignJWT, createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyOptions, type JWK } from "jose";
import { getActiveSigningKey, type ActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { invalidationFeed } from "@/lib/db/invalidation-feed";
import { issuer, type IdTokenAlg } from "@/lib/oidc/config";
import type { SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";
import { processSlot } from "@/lib/process-state";

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

type JwksEntry = {
  at: number;
  jwks: Promise<{ keys: JWK[] }>;
  body: Promise<string>;
  keySet: Promise<ReturnType<typeof createLocalJWKSet>>;
  bodyReady?: string;
  /** Access tokens already verified against this key set, by their exact text. */
  verifiedAccessTokens: Map<string, JWTPayload>;
};
type OidcKeyCache = {
  active: Map<IdTokenAlg, { at: number; key: Promise<ActiveSigningKey> }>;
  jwks?: JwksEntry;
  invalidatedByFeed?: boolean;
};

// One per process (lib/process-state.ts): the protocol fast lane and the app's
// route bundles may each get their own copy of this module, and
// forgetOidcKeys() after a rotation must reach both.
const keyCache: OidcKeyCache = processSlot<OidcKeyCache>("oidcKeys").getOrInit(() => ({ active: new Map() }));
const active = keyCache.active;
// A key rotated anywhere notifies the invalidation feed (migration
// 20261206010000_signing_key_invalidation): while the feed is live, every
// instance forgets its keys at once instead of after the TTLs above.
if (!keyCache.invalidatedByFeed) {
  keyCache.invalidatedByFeed = true;
  invalidationFeed.caches.add({ clear: () => forgetOidcKeys() });
}

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
  const jwks = Promise.all([activeKey("RS256"), activeKey("ES256")])
    .then(() => getPublicJwks(OIDC_KEY_PURPOSES))
    .then((set) => ({
      keys: set.keys.map(({ kid, kty, alg, use, n, e, crv, x, y }) => ({ kid, kty, alg, use, n, e, crv, x, y })),
    }));
  // One key set per cache entry, so imported verification keys are reused across requests.
  const entry: JwksEntry = {
    at: Date.now(),
    jwks,
    body: jwks.then((j) => JSON.stringify(j)),
    keySet: jwks.then((j) => createLocalJWKSet(j)),
    verifiedAccessTokens: new Map(),
  };
  entry.body.then(
    (body) => (entry.bodyReady = body),
    () => undefined,
  );
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

const MAX_VERIFIED_ACCESS_TOKENS = 10_000;

/**
 * Verifies an access token of ours (RFC 9068: typ at+jwt, for us, with jti,
 * exp and client_id) and returns its claims, frozen. A host calls with the
 * same token many times during its life, and the RS256 verification through
 * WebCrypto is most of a userinfo request's CPU; so the claims of a token
 * that verified are kept with the key set it verified against, and the same
 * text is accepted again without the signature check until it expires. They
 * go with the key set: at the latest JWKS_TTL_MS after a key is withdrawn, or
 * at once after a rotation here. A token that differs by one byte is a
 * different key of the map and is verified in full. Liveness (revocation)
 * is not decided here: verify-access-token.ts checks it on every call.
 */
export async function verifyOidcAccessTokenJwt(token: string): Promise<JWTPayload> {
  const verified = cachedJwks().verifiedAccessTokens;
  const hit = verified.get(token);
  if (hit && typeof hit.exp === "number" && hit.exp > Date.now() / 1000) return hit;
  if (hit) verified.delete(token);
  const { payload } = await verifyOidcJwt(token, {
    issuer: issuer(),
    audience: issuer(),
    typ: "at+jwt",
    requiredClaims: ["jti", "exp", "client_id"],
  });
  Object.freeze(payload);
  if (verified.size < MAX_VERIFIED_ACCESS_TOKENS) verified.set(token, payload);
  return payload;
}
