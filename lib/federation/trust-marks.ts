import "server-only";
import { decodeJwt, decodeProtectedHeader, jwtVerify, createLocalJWKSet } from "jose";
import { findFederationMember } from "@/lib/governance/federation/read-federation-hosts";
import { getLicenseStanding } from "@/lib/licensing/list-licenses-in-force";
import { FederationError } from "@/lib/federation/federation-error";
import { federationTtl, federationTypes, trustAnchorId, trustMarkTypes } from "@/lib/federation/federation-constants";
import { nowSeconds, signFederationJwt, trustAnchorJwks } from "@/lib/federation/sign-federation-jwt";
import { admittedMember, currentLicenseStanding } from "@/lib/federation/trust-mark-standing";
import { invalidationFeed } from "@/lib/db/invalidation-feed";

/** A theater is not a federation entity of its own; its trust mark's subject is this URL under the anchor. */
export function theaterSubject(theaterOrgId: string): string {
  return `${trustAnchorId()}/federation/theaters/${encodeURIComponent(theaterOrgId)}`;
}

/**
 * Issues a trust mark (§7) from the anchor, for the trust mark endpoint (§8.6):
 *  - admitted-host: sub = an admitted host's entity id, for a day;
 *  - licensed-theater: sub = the theater's subject URL, `license_id` chosen
 *    by the caller; only for a license in force, with the license's plan and
 *    end as claims and `exp` at the license's end.
 * The status endpoint is what tells a mark withdrawn (removal, suspension,
 * revocation) before it expires.
 */
export async function issueTrustMark(params: URLSearchParams): Promise<string> {
  const type = params.get("trust_mark_type");
  const sub = params.get("sub");
  if (!type || !sub) throw new FederationError("invalid_request", "trust_mark_type and sub are required.");
  const types = trustMarkTypes();
  const iat = nowSeconds();
  if (type === types.admittedHost) {
    if (!(await findFederationMember(sub))) throw new FederationError("not_found", "No admitted host has that id.");
    return signFederationJwt(federationTypes.trustMark, {
      iss: trustAnchorId(),
      sub,
      trust_mark_type: type,
      iat,
      exp: iat + federationTtl.admittedHostTrustMarkSeconds,
    });
  }
  if (type === types.licensedTheater) {
    const licenseId = params.get("license_id");
    if (!licenseId) throw new FederationError("invalid_request", "license_id is required for this trust mark.");
    const license = await getLicenseStanding(licenseId);
    if (!license || theaterSubject(license.theaterOrgId) !== sub || license.state !== "active" || !license.validUntil)
      throw new FederationError("not_found", "No license in force of that theater has that id.");
    return signFederationJwt(federationTypes.trustMark, {
      iss: trustAnchorId(),
      sub,
      trust_mark_type: type,
      iat,
      exp: Math.floor(license.validUntil.getTime() / 1000),
      license_id: license.licenseId,
      plan: license.planName,
      license_expires_at: license.validUntil.toISOString(),
    });
  }
  throw new FederationError("not_found", "This anchor issues no trust mark of that type.");
}

export type TrustMarkStatus = "active" | "expired" | "revoked" | "invalid";

/**
 * The status of a trust mark this anchor issued (§8.4): `invalid` when its
 * signature, type or issuer do not check out; `expired` past its exp;
 * `revoked` when the host was removed or the license suspended, revoked or
 * ended early; else `active`. Something that is not a trust mark of ours at
 * all is not_found (404), as the specification asks.
 */
export async function trustMarkStatus(trustMark: string): Promise<TrustMarkStatus> {
  return (await standingOfMark(trustMark)).status;
}

/** A mark's status, and until when (ms) time alone leaves it unchanged: an active mark ends with its exp or its license. */
async function standingOfMark(trustMark: string): Promise<{ status: TrustMarkStatus; holdsUntil: number }> {
  const { claims, signed } = await checkedMark(trustMark);
  const types = trustMarkTypes();
  const type = claims.trust_mark_type;
  const forGood = (status: TrustMarkStatus) => ({ status, holdsUntil: Number.POSITIVE_INFINITY });
  if (!signed) return forGood("invalid");
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
  if (expiresAt <= Date.now()) return forGood("expired");
  if (type === types.admittedHost)
    return (await admittedMember(String(claims.sub)))
      ? { status: "active", holdsUntil: expiresAt }
      : forGood("revoked");
  const license = await currentLicenseStanding(String(claims.license_id));
  if (!license || theaterSubject(license.theaterOrgId) !== claims.sub) return forGood("invalid");
  if (license.state === "active")
    return { status: "active", holdsUntil: Math.min(expiresAt, license.validUntil?.getTime() ?? expiresAt) };
  return forGood(license.state === "expired" ? "expired" : "revoked");
}

/**
 * The signed status response (`trust-mark-status-response+jwt`). The
 * status comes from the cached standing (lib/federation/trust-mark-standing.ts),
 * so a suspension or removal shows once its notification arrives. The signed
 * answer for a (mark, status) pair is signed once per state change and reused,
 * as hosts ask before every theater they accept and an ES256 signature costs
 * more than the lookup: the specification requires `iat` (when the response
 * was issued) and defines no `exp` for it, so a reused answer is truthful; it is still signed
 * afresh after a minute, so that its `iat` never says more than that about
 * how old the answer is. A different status is a different key, and every
 * invalidation (a key rotation included) drops them all.
 */
export async function signTrustMarkStatus(trustMark: string): Promise<string> {
  // Taken before the standing is read: a notification that arrives meanwhile leaves the answer unready (statusAtHand).
  const generation = invalidationFeed.generation;
  const { status, holdsUntil } = await standingOfMark(trustMark);
  const now = Date.now();
  const cached = signedAnswers.get(trustMark);
  if (cached && cached.status === status && cached.until > now) {
    cached.readyUntil = Math.min(cached.until, holdsUntil, now + STANDING_RECHECK_MS);
    cached.generation = generation;
    return cached.jwt;
  }
  const jwt = await signFederationJwt(federationTypes.trustMarkStatusResponse, {
    iss: trustAnchorId(),
    iat: nowSeconds(),
    trust_mark: trustMark,
    status,
  });
  const until = now + federationTtl.cacheSeconds * 1000;
  const readyUntil = Math.min(until, holdsUntil, now + STANDING_RECHECK_MS);
  remember(signedAnswers, trustMark, { status, jwt, until, readyUntil, generation });
  return jwt;
}

/**
 * The signed answer for a mark, when it can be sent without reading anything
 * (the trust mark status endpoint's fast path): signTrustMarkStatus made it
 * while the invalidation feed was live, no invalidation has come since (none
 * of the mark's host, license or the anchor's keys changed anywhere), and
 * neither the mark nor its license has reached its end. At most
 * STANDING_RECHECK_MS after the standing was read, as the standing caches'
 * own age bound; then signTrustMarkStatus reads it again. Else undefined.
 */
export function trustMarkStatusAtHand(trustMark: string): string | undefined {
  const ready = signedAnswers.get(trustMark);
  if (!ready || !invalidationFeed.live || ready.generation !== invalidationFeed.generation) return undefined;
  return ready.readyUntil > Date.now() ? ready.jwt : undefined;
}

// Per process, bounded: a mark's signature never changes, and the anchor's keys change only by rotation.
const MAX_CACHED = 10_000;
const STANDING_RECHECK_MS = 10_000;
type SignedAnswer = { status: TrustMarkStatus; jwt: string; until: number; readyUntil: number; generation: number };
const signedAnswers = new Map<string, SignedAnswer>();
type CheckedMark = { claims: ReturnType<typeof decodeJwt>; signed: boolean; until: number };
const checkedMarks = new Map<string, CheckedMark>();
let anchorKeys: { keys: ReturnType<typeof createLocalJWKSet>; until: number } | undefined;
// A key rotated or retired anywhere (migration 20261206010000_signing_key_invalidation), or any other
// change the feed reports, drops the signed answers and the verdicts made with the old key set.
invalidationFeed.caches.add({
  clear() {
    signedAnswers.clear();
    checkedMarks.clear();
    anchorKeys = undefined;
  },
});

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}

/**
 * What a mark of this anchor says, and whether one of the anchor's published
 * keys signs it (checked at its own iat): a mark never changes, so both are
 * remembered a minute (or until an invalidation, a key rotation included)
 * and a host asking again costs no decoding. Not a JWT: invalid_request;
 * not this anchor's: not_found; neither is remembered.
 */
async function checkedMark(trustMark: string): Promise<CheckedMark> {
  const now = Date.now();
  const cached = checkedMarks.get(trustMark);
  if (cached && cached.until > now) return cached;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(trustMark);
    decodeProtectedHeader(trustMark);
  } catch {
    throw new FederationError("invalid_request", "trust_mark is not a JWT.");
  }
  const types = trustMarkTypes();
  const type = claims.trust_mark_type;
  if (claims.iss !== trustAnchorId() || (type !== types.admittedHost && type !== types.licensedTheater))
    throw new FederationError("not_found", "This anchor did not issue that trust mark.");
  if (!anchorKeys || anchorKeys.until <= now)
    anchorKeys = { keys: createLocalJWKSet(await trustAnchorJwks()), until: now + federationTtl.cacheSeconds * 1000 };
  let signed = true;
  try {
    await jwtVerify(trustMark, anchorKeys.keys, {
      typ: federationTypes.trustMark,
      issuer: trustAnchorId(),
      currentDate: new Date(((claims.iat ?? 0) + 1) * 1000),
    });
  } catch {
    signed = false;
  }
  const checked = { claims, signed, until: now + federationTtl.cacheSeconds * 1000 };
  remember(checkedMarks, trustMark, checked);
  return checked;
}
