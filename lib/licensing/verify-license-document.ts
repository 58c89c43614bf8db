import { createPublicKey, type KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader, type JSONWebKeySet, type JWK } from "jose";
import { LICENSE_DOCUMENT_TYP, licenseDocumentClaimsSchema, type LicenseDocumentClaims } from "./license-document";
import { refuse, type LicenseVerification } from "./license-verification-codes";

/**
 * Offline verification of license documents against the published JWKS
 * (/.well-known/guildhall/license-keys.json). Imports no database code, so
 * hosts, the management client and the CLI use the same rules. Checks, in order:
 *  1. a compact JWS with typ guildhall-license+jwt and alg EdDSA (MALFORMED, UNSUPPORTED_ALGORITHM);
 *  2. its kid is a published key made for EdDSA signatures (UNKNOWN_KEY);
 *  3. the signature (BAD_SIGNATURE); the claims have the license shape (MALFORMED);
 *  4. the issuer, when the caller names one (WRONG_ISSUER);
 *  5. the validity window with a small clock skew (NOT_YET_VALID, EXPIRED);
 *  6. the certificate presented, when given, is the one certified (WRONG_KEY);
 *  7. the certificate's revocation state, when given from a CRL (SUSPENDED, REVOKED).
 */
export type RevocationState = "good" | "held" | "revoked";

export type LicenseDocumentCheck = {
  now?: Date;
  issuer?: string;
  clockSkewSeconds?: number;
  /** The certificate presented alongside (serial as lower-case hex, SPKI SHA-256 base64url). */
  certificate?: { serialHex: string; keySha256: string };
  revocation?: RevocationState;
};

const decoder = new TextDecoder();

export type LicenseDocumentVerifier = (
  jws: string,
  check?: LicenseDocumentCheck,
) => Promise<LicenseVerification<LicenseDocumentClaims>>;

/** Builds a verifier over one JWKS; keys are imported once, so each check costs one signature verification. */
export function createLicenseDocumentVerifier(jwks: JSONWebKeySet): LicenseDocumentVerifier {
  // Node KeyObjects rather than WebCrypto keys: jose verifies with either,
  // and node:crypto's Ed25519 path costs less per call on this hot path.
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys as JWK[]) {
    if (!jwk.kid || jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x) continue;
    if ((jwk.use && jwk.use !== "sig") || (jwk.alg && jwk.alg !== "EdDSA")) continue;
    keys.set(jwk.kid, createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" }));
  }

  return async function verifyLicenseDocument(jws, check = {}) {
    const nowSeconds = Math.floor((check.now ?? new Date()).getTime() / 1000);
    const skew = check.clockSkewSeconds ?? 60;
    if (typeof jws !== "string" || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jws.trim()))
      return refuse("MALFORMED", "not a compact JWS");
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(jws.trim());
    } catch {
      return refuse("MALFORMED", "unreadable JWS header");
    }
    if (header.typ !== LICENSE_DOCUMENT_TYP)
      return refuse("MALFORMED", `typ is ${String(header.typ)}, not ${LICENSE_DOCUMENT_TYP}`);
    if (header.alg !== "EdDSA") return refuse("UNSUPPORTED_ALGORITHM", `alg ${String(header.alg)} is not EdDSA`);
    const key = header.kid ? keys.get(header.kid) : undefined;
    if (!key) return refuse("UNKNOWN_KEY", `kid ${String(header.kid)} is not a published license key`);

    let payload: Uint8Array;
    try {
      payload = (await compactVerify(jws.trim(), key, { algorithms: ["EdDSA"] })).payload;
    } catch {
      return refuse("BAD_SIGNATURE", "the signature does not verify with the published key");
    }
    let claims: LicenseDocumentClaims;
    try {
      const parsed = licenseDocumentClaimsSchema.safeParse(JSON.parse(decoder.decode(payload)));
      if (!parsed.success)
        return refuse(
          "MALFORMED",
          `claims: ${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}`,
        );
      claims = parsed.data;
    } catch {
      return refuse("MALFORMED", "the payload is not JSON");
    }
    if (check.issuer && claims.iss !== check.issuer)
      return refuse("WRONG_ISSUER", `issued by ${claims.iss}, not ${check.issuer}`);
    if (nowSeconds + skew < claims.nbf) return refuse("NOT_YET_VALID", `valid from ${claims.license.validFrom}`);
    if (nowSeconds - skew >= claims.exp) return refuse("EXPIRED", `expired at ${claims.license.validUntil}`);
    if (check.certificate) {
      if (check.certificate.keySha256 !== claims.key.sha256)
        return refuse("WRONG_KEY", "the certificate's key is not the key this license certifies");
      if (check.certificate.serialHex !== claims.key.certificateSerial)
        return refuse("WRONG_KEY", "the certificate is not the one this license document was issued with");
    }
    if (check.revocation === "held") return refuse("SUSPENDED", `license ${claims.sub} is suspended`);
    if (check.revocation === "revoked") return refuse("REVOKED", `license ${claims.sub}'s certificate is revoked`);
    return {
      valid: true,
      code: "VALID",
      detail: `license ${claims.sub} of ${claims.license.theater.name}, valid until ${claims.license.validUntil}`,
      value: claims,
    };
  };
}
