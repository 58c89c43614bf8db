import "server-only";
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { sha256Hex } from "@/lib/crypto/hash";
import { CLOCK_SKEW_SECONDS, issuer } from "@/lib/oidc/config";
import { InvalidRequestObject, verificationRefusal } from "@/lib/oidc/errors";
import { CLIENT_SIGNING_ALGS, clientKeySet } from "@/lib/oidc/clients/client-key-set";
import { rememberJti } from "@/lib/oidc/checks/remember-jti";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { AUTOMATIC_REGISTRATION } from "@/lib/oidc/clients/client-registrars";

// A request object is made for one authorization request, seconds before the browser carries it.
const MAX_REQUEST_OBJECT_LIFETIME_SECONDS = 3600;
// The JWT members that say who signed the object and when, not what is asked for.
const ENVELOPE_CLAIMS = new Set(["iss", "aud", "exp", "iat", "nbf", "jti"]);
// RFC 9101 §10.8: the media type a client should give, or the generic ones older clients send.
const ACCEPTED_TYPES = new Set(["oauth-authz-req+jwt", "jwt"]);

/** The authorization parameters a request object carries, as the strings they would be in a query. */
function parametersOf(payload: JWTPayload, clientId: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (ENVELOPE_CLAIMS.has(name)) continue;
    if (typeof value === "string") params[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") params[name] = String(value);
    // OIDC Core §5.5: the claims parameter is an object inside a request object, JSON text in a query.
    else if (name === "claims" && typeof value === "object" && value !== null) params[name] = JSON.stringify(value);
    else throw new InvalidRequestObject(`the request object's "${name}" is not a string`);
  }
  if (params.client_id !== undefined && params.client_id !== clientId)
    throw new InvalidRequestObject("the request object's client_id is not the request's");
  if (params.request !== undefined || params.request_uri !== undefined)
    throw new InvalidRequestObject("a request object cannot carry request or request_uri");
  return { ...params, client_id: clientId };
}

/**
 * What OpenID Federation 1.0 §12.1.1.1 adds for a client registered
 * automatically: a jti (the object is used once), no sub (so it cannot pass
 * for a private_key_jwt client assertion), and our issuer as the only audience.
 */
function checkFederationRequestObject(payload: JWTPayload): void {
  if (typeof payload.jti !== "string" || payload.jti === "")
    throw new InvalidRequestObject("a federation request object needs a jti");
  if (payload.sub !== undefined) throw new InvalidRequestObject("a federation request object carries no sub");
  if (Array.isArray(payload.aud) && payload.aud.length !== 1)
    throw new InvalidRequestObject("a federation request object's only audience is this provider");
}

/**
 * A signed authorization request object (RFC 9101, OIDC Core §6.1). Checks:
 * - it is a JWS (an encrypted object, or an unsigned one with alg "none", is
 *   refused) whose typ, if any, is oauth-authz-req+jwt or JWT;
 * - it is signed with an asymmetric algorithm by a key the client registered
 *   (its JWKS or jwks_uri); a client without keys cannot send one;
 * - iss is the client, aud is our issuer (RFC 9101 §10.2: so an object made
 *   for another provider cannot be replayed here);
 * - exp is present and not past, at most an hour ahead; nbf and iat, when
 *   present, not in the future (5 minutes of skew);
 * - it was never used before: its jti, or the whole object when it has none,
 *   is remembered until it expires;
 * - a client_id inside is the request's, and it nests no request or request_uri.
 * Returns the parameters it carries, which replace those outside it (RFC 9101 §5).
 */
export async function checkRequestObject(client: OidcClient, requestObject: string): Promise<Record<string, string>> {
  if (requestObject.split(".").length !== 3)
    throw new InvalidRequestObject("the request object must be a signed JWT (encrypted objects are not supported)");
  let typ: string | undefined;
  try {
    typ = decodeProtectedHeader(requestObject).typ;
  } catch {
    throw new InvalidRequestObject("the request object is not a JWT");
  }
  if (typ !== undefined && !ACCEPTED_TYPES.has(typ.toLowerCase()))
    throw new InvalidRequestObject(`a request object's typ is oauth-authz-req+jwt, not "${typ}"`);
  const keys = clientKeySet(client);
  if (!keys) throw new InvalidRequestObject("the client registered no keys to sign request objects with");

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(requestObject, keys, {
      issuer: client.id,
      audience: issuer(),
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["exp"],
      algorithms: CLIENT_SIGNING_ALGS,
    }));
  } catch (e) {
    throw verificationRefusal((d) => new InvalidRequestObject(d), "the request object was refused", e);
  }
  const nowSeconds = Date.now() / 1000;
  const exp = Number(payload.exp);
  if (exp > nowSeconds + MAX_REQUEST_OBJECT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    throw new InvalidRequestObject("the request object expires too far in the future (at most an hour)");
  if (typeof payload.iat === "number" && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS)
    throw new InvalidRequestObject("the request object was issued in the future");
  if (payload.jti !== undefined && (typeof payload.jti !== "string" || payload.jti === ""))
    throw new InvalidRequestObject("the request object's jti must be a non-empty string");

  if (client.registeredVia === AUTOMATIC_REGISTRATION) checkFederationRequestObject(payload);
  const params = parametersOf(payload, client.id);
  const id = payload.jti ?? `sha256:${sha256Hex(requestObject)}`;
  if (
    !(await rememberJti({
      kind: "request-object",
      signer: client.id,
      jti: id,
      expiresAt: new Date((exp + CLOCK_SKEW_SECONDS) * 1000),
    }))
  )
    throw new InvalidRequestObject("the request object was already used");
  return params;
}
