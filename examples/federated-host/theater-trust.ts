import { createLocalJWKSet, type decodeJwt, jwtVerify, type JWK } from "jose";

export type TheaterVerdict =
  | { ok: true; licenseId: string; plan: string; theater: string }
  | { ok: false; code: "BAD_TRUST_MARK" | "WRONG_TYPE" | "EXPIRED" | "NOT_ACTIVE" };

/**
 * Whether to accept a theater now: its licensed-theater trust mark verifies
 * with the anchor's pinned keys, is of that type, is issued by the anchor and
 * is within its time, and the anchor's trust mark status endpoint says
 * `active` (a suspension or revocation withdraws it before it expires). The
 * status is asked at most every `cacheMs` per mark, so a withdrawal is seen
 * within that time. A host that checks the theater's client certificate over
 * mutual TLS (examples/mtls-host) asks this too, for the license the
 * certificate names.
 */
export function createTheaterTrust(p: {
  anchor: string;
  jwks: { keys: JWK[] };
  statusEndpoint: string;
  cacheMs: number;
}) {
  const keys = createLocalJWKSet(p.jwks);
  const type = `${p.anchor}/trust-marks/licensed-theater`;
  const statuses = new Map<string, { status: string; until: number }>();

  async function status(mark: string): Promise<string> {
    const cached = statuses.get(mark);
    if (cached && cached.until > Date.now()) return cached.status;
    const res = await fetch(p.statusEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ trust_mark: mark }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return "invalid";
    const { payload } = await jwtVerify(await res.text(), keys, {
      typ: "trust-mark-status-response+jwt",
      issuer: p.anchor,
    });
    const value = payload.trust_mark === mark ? String(payload.status) : "invalid";
    statuses.set(mark, { status: value, until: Date.now() + p.cacheMs });
    return value;
  }

  return async function checkTheater(mark: string): Promise<TheaterVerdict> {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      ({ payload: claims } = await jwtVerify(mark, keys, { typ: "trust-mark+jwt", issuer: p.anchor }));
    } catch (e) {
      return { ok: false, code: e instanceof Error && e.name === "JWTExpired" ? "EXPIRED" : "BAD_TRUST_MARK" };
    }
    if (claims.trust_mark_type !== type) return { ok: false, code: "WRONG_TYPE" };
    if ((await status(mark)) !== "active") return { ok: false, code: "NOT_ACTIVE" };
    return { ok: true, licenseId: String(claims.license_id), plan: String(claims.plan), theater: String(claims.sub) };
  };
}
