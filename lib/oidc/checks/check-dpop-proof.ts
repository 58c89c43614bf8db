import "server-only";
import crypto from "node:crypto";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK, type JWTPayload } from "jose";
import { CLOCK_SKEW_SECONDS } from "@/lib/oidc/config";
import { InvalidDpopProof, verificationRefusal } from "@/lib/oidc/errors";
import { rememberJti } from "@/lib/oidc/checks/remember-jti";

/** RFC 9449 §5.1: the algorithms a DPoP proof may be signed with (asymmetric only, §4.2). */
export const DPOP_SIGNING_ALGS = ["ES256", "ES384", "PS256", "RS256", "EdDSA"] as const;

// How old a proof may be (§11.1: a short window; jti replay is checked within it).
const PROOF_MAX_AGE_SECONDS = CLOCK_SKEW_SECONDS;

/** The DPoP header's single proof: absent is undefined; several (joined with commas by Headers) are refused. */
export function dpopHeaderOf(headers: Pick<Headers, "get">): string | undefined {
  const value = headers.get("dpop");
  if (value === null) return undefined;
  if (value.includes(",") || value.trim() === "") throw new InvalidDpopProof("give exactly one DPoP proof");
  return value.trim();
}

/** §4.2: htu is compared without its query and fragment. */
function withoutQuery(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** §4.2: ath is the base64url SHA-256 of the access token's ASCII text. */
export function accessTokenHash(accessToken: string): string {
  return crypto.createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

/**
 * A DPoP proof (RFC 9449 §4.3). Checks:
 * - one JWS of typ dpop+jwt, signed with an asymmetric algorithm we list, by
 *   the public key in its own `jwk` header (a private key there is refused);
 * - htm is the request's method and htu its URL (our issuer's, without
 *   query), so a proof made for another request is worthless;
 * - iat is within 5 minutes of now, either way;
 * - jti is a non-empty string never used before with this key (replay);
 * - at a resource, ath is the hash of the access token presented with it.
 * Returns the key's SHA-256 thumbprint (RFC 7638), which tokens bind to.
 * No server nonce is asked for (§8 makes it optional): iat and the jti store
 * bound a proof's use to one request within minutes.
 */
export async function checkDpopProof(
  proof: string,
  expected: { method: string; url: string; accessToken?: string },
): Promise<string> {
  let payload: JWTPayload;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [...DPOP_SIGNING_ALGS] });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (e) {
    throw verificationRefusal((d) => new InvalidDpopProof(d), "the DPoP proof was refused", e);
  }
  if (typeof payload.jti !== "string" || payload.jti === "" || payload.jti.length > 256)
    throw new InvalidDpopProof("the DPoP proof's jti must be a non-empty string");
  if (payload.htm !== expected.method) throw new InvalidDpopProof("the DPoP proof's htm is not this request's method");
  if (typeof payload.htu !== "string" || withoutQuery(payload.htu) !== withoutQuery(expected.url))
    throw new InvalidDpopProof("the DPoP proof's htu is not this endpoint");
  const nowSeconds = Date.now() / 1000;
  if (typeof payload.iat !== "number" || Math.abs(nowSeconds - payload.iat) > PROOF_MAX_AGE_SECONDS)
    throw new InvalidDpopProof("the DPoP proof's iat is missing or not recent");
  if (expected.accessToken !== undefined && payload.ath !== accessTokenHash(expected.accessToken))
    throw new InvalidDpopProof("the DPoP proof's ath is not the hash of the access token");
  const jkt = await calculateJwkThumbprint(jwk, "sha256");
  const keptUntil = new Date((payload.iat + PROOF_MAX_AGE_SECONDS + 1) * 1000);
  if (!(await rememberJti({ kind: "dpop", signer: jkt, jti: payload.jti, expiresAt: keptUntil })))
    throw new InvalidDpopProof("the DPoP proof was already used");
  return jkt;
}
