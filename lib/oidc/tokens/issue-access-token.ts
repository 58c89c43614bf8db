import "server-only";
import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { issuer, oidcTtl } from "@/lib/oidc/config";
import { signOidcJwt } from "@/lib/oidc/signing";
import { amrOf, acrOf } from "@/lib/oidc/auth-method";
import {
  insertAccessTokenRow,
  insertAccessTokenRowIn,
  type AccessTokenRow,
} from "@/lib/oidc/tokens/insert-access-token-row";

export type AccessTokenSubject = {
  clientId: string;
  /** The `sub` the token carries: the client's view of the user, or the client id itself for client credentials. */
  sub: string;
  userId?: string;
  scopes: string[];
  grantId?: string;
  familyId?: string;
  sid?: string;
  authTime?: Date;
  authMethod?: string;
  /** RFC 9449: the DPoP key's thumbprint; the token then carries cnf.jkt and is refused without a proof by that key. */
  dpopJkt?: string;
};

// RS256 is what every resource server must accept (RFC 9068 §4).
const ACCESS_TOKEN_ALG = "RS256" as const;

/**
 * An access token as a JWT (RFC 9068, typ at+jwt) so hosts can verify it
 * offline, and a row keyed by its jti so it can be revoked and introspected.
 */
export async function issueAccessToken(p: AccessTokenSubject, tx: Tx = db()) {
  const jti = newId("at");
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = oidcTtl.accessTokenSeconds;
  const token = await signOidcJwt(
    {
      iss: issuer(),
      sub: p.sub,
      aud: issuer(),
      client_id: p.clientId,
      iat: now,
      exp: now + expiresIn,
      jti,
      scope: p.scopes.join(" "),
      ...(p.authTime ? { auth_time: Math.floor(p.authTime.getTime() / 1000) } : {}),
      ...(p.authMethod ? { acr: acrOf(p.authMethod), amr: amrOf(p.authMethod) } : {}),
      ...(p.dpopJkt ? { cnf: { jkt: p.dpopJkt } } : {}),
    },
    { alg: ACCESS_TOKEN_ALG, typ: "at+jwt" },
  );
  const row: AccessTokenRow = {
    id: jti,
    clientId: p.clientId,
    userId: p.userId ?? null,
    grantId: p.grantId ?? null,
    familyId: p.familyId ?? null,
    sid: p.sid ?? null,
    scopes: p.scopes,
    authTime: p.authTime?.toISOString() ?? null,
    authMethod: p.authMethod ?? null,
    dpopJkt: p.dpopJkt ?? null,
    expiresAt: new Date((now + expiresIn) * 1000).toISOString(),
  };
  // On its own (client credentials), batched with the other tokens of this instant; in a caller's transaction, as part of it.
  if (tx === db()) await insertAccessTokenRow(row);
  else await insertAccessTokenRowIn(tx, row);
  return { token, jti, expiresIn, tokenType: p.dpopJkt ? "DPoP" : "Bearer" };
}

/** OIDC Core §3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = crypto.createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}
