import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { issuer, oidcTtl } from "@/lib/oidc/config";
import { signOidcJwt } from "@/lib/oidc/signing";
import { amrOf, acrOf } from "@/lib/oidc/auth-method";

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
    },
    { alg: ACCESS_TOKEN_ALG, typ: "at+jwt" },
  );
  const row = tx.oidcToken.createMany({
    data: {
      id: jti,
      kind: "access",
      clientId: p.clientId,
      userId: p.userId ?? null,
      grantId: p.grantId ?? null,
      familyId: p.familyId ?? null,
      sid: p.sid ?? null,
      scopes: p.scopes,
      authTime: p.authTime ?? null,
      authMethod: p.authMethod ?? null,
      expiresAt: new Date((now + expiresIn) * 1000),
    },
  });
  if (tx === db()) {
    // A token issued on its own (client credentials) commits without waiting
    // for the WAL flush: if the database crashed in that instant, the token
    // would merely be unknown and refused, and the client would ask again.
    // Refresh tokens, codes and the audit chain keep full durability.
    await db().$transaction([db().$executeRaw`SET LOCAL synchronous_commit = off`, row]);
  } else await row;
  return { token, jti, expiresIn };
}

/** OIDC Core §3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = crypto.createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}
