import { createLocalJWKSet, jwtVerify, SignJWT, type CryptoKey, type JWK, type KeyObject } from "jose";

export const PING_TYP = "guildhall-peer-ping+jwt";

/** A short-lived statement "I am <entity id>, talking to <peer>", signed with the host's admitted federation key. */
export function signPing(p: { from: string; to: string; key: CryptoKey | KeyObject; kid: string }): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: p.kid, typ: PING_TYP })
    .setIssuer(p.from)
    .setAudience(p.to)
    .setIssuedAt()
    .setExpirationTime("60s")
    .setJti(crypto.randomUUID())
    .sign(p.key);
}

export type PingRefusal = "BAD_PING" | "NOT_ADMITTED" | "BAD_SIGNATURE" | "REPLAYED";

/**
 * Checks a peer's ping against the current service configuration: its issuer
 * is an admitted host (a removed or never-admitted one is NOT_ADMITTED), it
 * is signed with a key that host's admission declared (BAD_SIGNATURE: a key
 * that is not the admitted one), it is for this host, in its time, and new.
 */
export async function verifyPing(
  jwt: string,
  p: { self: string; admitted: Map<string, { keys: JWK[] }>; seen: Map<string, number> },
): Promise<{ ok: true; from: string } | { ok: false; code: PingRefusal }> {
  let iss: string;
  try {
    iss = String(JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")).iss);
  } catch {
    return { ok: false, code: "BAD_PING" };
  }
  const jwks = p.admitted.get(iss);
  if (!jwks) return { ok: false, code: "NOT_ADMITTED" };
  let jti: string;
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      typ: PING_TYP,
      issuer: iss,
      audience: p.self,
      requiredClaims: ["exp", "jti"],
      maxTokenAge: "120s",
    });
    jti = String(payload.jti);
  } catch {
    return { ok: false, code: "BAD_SIGNATURE" };
  }
  const now = Date.now();
  for (const [k, until] of p.seen) if (until < now) p.seen.delete(k);
  if (p.seen.has(`${iss} ${jti}`)) return { ok: false, code: "REPLAYED" };
  p.seen.set(`${iss} ${jti}`, now + 180_000);
  return { ok: true, from: iss };
}
