import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { issuer, oidcTtl, secretBytes, type IdTokenAlg } from "@/lib/oidc/config";
import { signOidcJwt } from "@/lib/oidc/signing";
import { subjectFor } from "@/lib/oidc/subject";
import { acrOf, amrOf } from "@/lib/oidc/auth-method";
import { atHash, issueAccessToken } from "@/lib/oidc/tokens/issue-access-token";
import { invalidateLocalCaches } from "@/lib/db/invalidation-feed";

export type UserTokenContext = {
  userId: string;
  /** The scopes of this access token and ID token. */
  scopes: string[];
  /** The scopes of the grant, carried by the refresh token (RFC 6749 §6: a refresh never narrows them). */
  grantedScopes?: string[];
  grantId: string;
  familyId: string;
  sid: string;
  authTime: Date;
  authMethod: string;
  nonce?: string | null;
  /** RFC 9449: the DPoP key of this token request, which the access token (and a public client's refresh token) binds to. */
  dpopJkt?: string;
};

/**
 * The tokens of a code exchange or a refresh: a JWT access token, an ID token
 * when openid was granted (with at_hash, auth_time, acr, amr, sid), and a
 * rotated refresh token when offline_access was granted and the client may
 * refresh. With a DPoP key, the access token is bound to it, and so is a
 * public client's refresh token (RFC 9449 §5); a confidential client's
 * refresh token is bound to the client's own authentication already.
 */
export async function issueUserTokens(tx: Tx, client: OidcClient, c: UserTokenContext) {
  const sub = subjectFor(client, c.userId);
  const access = await issueAccessToken(
    {
      clientId: client.id,
      sub,
      userId: c.userId,
      scopes: c.scopes,
      grantId: c.grantId,
      familyId: c.familyId,
      sid: c.sid,
      authTime: c.authTime,
      authMethod: c.authMethod,
      dpopJkt: c.dpopJkt,
    },
    tx,
  );
  const response: Record<string, string | number> = {
    access_token: access.token,
    token_type: access.tokenType,
    expires_in: access.expiresIn,
    scope: c.scopes.join(" "),
  };

  if (c.scopes.includes("openid")) {
    const now = Math.floor(Date.now() / 1000);
    response.id_token = await signOidcJwt(
      {
        iss: issuer(),
        sub,
        aud: client.id,
        iat: now,
        exp: now + oidcTtl.idTokenSeconds,
        auth_time: Math.floor(c.authTime.getTime() / 1000),
        ...(c.nonce ? { nonce: c.nonce } : {}),
        acr: acrOf(c.authMethod),
        amr: amrOf(c.authMethod),
        at_hash: atHash(access.token),
        sid: c.sid,
      },
      { alg: client.idTokenSignedResponseAlg as IdTokenAlg, typ: "JWT" },
    );
  }

  const grantedScopes = c.grantedScopes ?? c.scopes;
  if (grantedScopes.includes("offline_access") && client.grantTypes.includes("refresh_token")) {
    const refreshToken = randomToken(secretBytes.refreshToken);
    await tx.oidcToken.create({
      data: {
        id: newId("rt"),
        kind: "refresh",
        tokenHash: sha256Hex(refreshToken),
        clientId: client.id,
        userId: c.userId,
        grantId: c.grantId,
        familyId: c.familyId,
        sid: c.sid,
        scopes: grantedScopes,
        authTime: c.authTime,
        authMethod: c.authMethod,
        dpopJkt: client.tokenEndpointAuthMethod === "none" ? (c.dpopJkt ?? null) : null,
        expiresAt: new Date(Date.now() + oidcTtl.refreshTokenSeconds * 1000),
      },
    });
    response.refresh_token = refreshToken;
  }
  return response;
}

/** Revokes every token of a family (a reused code, a replayed refresh token). */
export async function revokeTokenFamily(familyId: string, tx: Tx = db()): Promise<number> {
  const { count } = await tx.oidcToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  invalidateLocalCaches();
  return count;
}
