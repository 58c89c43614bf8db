import "server-only";
import { jwtVerify } from "jose";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { CLOCK_SKEW_SECONDS } from "@/lib/oidc/config";
import { InvalidClient, verificationRefusal } from "@/lib/oidc/errors";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { CLIENT_SIGNING_ALGS, clientKeySet } from "@/lib/oidc/clients/client-key-set";

// RFC 7523 §3 lets the server refuse an unreasonably distant exp; a day is far beyond any client's need.
const MAX_ASSERTION_LIFETIME_SECONDS = 86_400;

/**
 * private_key_jwt (OIDC Core §9, RFC 7523). Checks:
 * - the assertion is signed by a key of the client's registered JWKS or jwks_uri, with an asymmetric algorithm;
 * - iss and sub are the client_id;
 * - aud names the token endpoint, the endpoint called, or the issuer;
 * - exp is present and not past, iat not in the future, both within 5 minutes of skew;
 * - exp is at most a day ahead: the jti is remembered until exp, and an
 *   assertion is made for one request, not for months;
 * - jti is a non-empty string (an object or a number would be turned into
 *   text and compared as that) and was never seen before (replay).
 */
export async function checkClientAssertion(client: OidcClient, assertion: string, audience: string[]): Promise<void> {
  const keys = clientKeySet(client);
  if (!keys) throw new InvalidClient("the client has no registered keys");

  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      issuer: client.id,
      subject: client.id,
      audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["exp", "jti"],
      algorithms: CLIENT_SIGNING_ALGS,
    }));
  } catch (e) {
    throw verificationRefusal((d) => new InvalidClient(d), "client assertion rejected", e);
  }
  const nowSeconds = Date.now() / 1000;
  if (typeof payload.iat === "number" && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS)
    throw new InvalidClient("client assertion issued in the future");
  // jose checked that exp is a number (requiredClaims).
  const exp = Number(payload.exp);
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS)
    throw new InvalidClient("client assertion expires too far in the future");
  if (typeof payload.jti !== "string" || payload.jti === "")
    throw new InvalidClient("client assertion jti must be a non-empty string");

  const expiresAt = new Date((exp + CLOCK_SKEW_SECONDS) * 1000);
  const jtiHash = sha256Hex(`${client.id}\n${payload.jti}`);
  const { count } = await db()
    .$executeRaw`INSERT INTO "OidcClientAssertion" ("jtiHash", "expiresAt") VALUES (${jtiHash}, ${expiresAt}) ON CONFLICT DO NOTHING`.then(
    (n) => ({ count: n }),
  );
  if (count === 0) throw new InvalidClient("client assertion was already used");
}
