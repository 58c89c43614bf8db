import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { CLOCK_SKEW_SECONDS } from "@/lib/oidc/config";
import { InvalidClient } from "@/lib/oidc/errors";
import type { OidcClient } from "@/lib/generated/prisma/client";

// RFC 7523 §3 lets the server refuse an unreasonably distant exp; a day is far beyond any client's need.
const MAX_ASSERTION_LIFETIME_SECONDS = 86_400;

// Remote key sets are cached per URI; jose refreshes one on an unknown kid (with a cooldown).
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * private_key_jwt (OIDC Core §9, RFC 7523). Checks:
 * - the assertion is signed by a key of the client's registered JWKS or jwks_uri, with an asymmetric algorithm;
 * - iss and sub are the client_id;
 * - aud names the token endpoint, the endpoint called, or the issuer;
 * - exp is present and not past, iat not in the future, both within 5 minutes of skew; exp within a day;
 * - jti is present and was never seen before (replay).
 */
export async function checkClientAssertion(client: OidcClient, assertion: string, audience: string[]): Promise<void> {
  let keys: Parameters<typeof jwtVerify>[1];
  if (client.jwks) keys = createLocalJWKSet(client.jwks as unknown as JSONWebKeySet);
  else if (client.jwksUri) {
    const remote =
      remoteSets.get(client.jwksUri) ?? createRemoteJWKSet(new URL(client.jwksUri), { timeoutDuration: 3000 });
    remoteSets.set(client.jwksUri, remote);
    keys = remote;
  } else throw new InvalidClient("the client has no registered keys");

  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      issuer: client.id,
      subject: client.id,
      audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["exp", "jti"],
      algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
    }));
  } catch (e) {
    throw new InvalidClient(`client assertion rejected: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)
    throw new InvalidClient("client assertion issued in the future");

  // The replay record is kept until exp: an exp past any sensible lifetime (1e20 is no date at all) is refused.
  if ((payload.exp ?? 0) > Date.now() / 1000 + MAX_ASSERTION_LIFETIME_SECONDS)
    throw new InvalidClient("client assertion expires too far in the future");
  const expiresAt = new Date((payload.exp! + CLOCK_SKEW_SECONDS) * 1000);
  const jtiHash = sha256Hex(`${client.id}\n${String(payload.jti)}`);
  const { count } = await db()
    .$executeRaw`INSERT INTO "OidcClientAssertion" ("jtiHash", "expiresAt") VALUES (${jtiHash}, ${expiresAt}) ON CONFLICT DO NOTHING`.then(
    (n) => ({ count: n }),
  );
  if (count === 0) throw new InvalidClient("client assertion was already used");
}
