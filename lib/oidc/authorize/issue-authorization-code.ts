import "server-only";
import { db } from "@/lib/db/client";
import { randomToken, sha256Hex } from "@/lib/crypto/hash";
import { oidcTtl, secretBytes } from "@/lib/oidc/config";
import type { AuthorizationRequest } from "@/lib/oidc/authorize/authorization-request";
import { sidOf } from "@/lib/oidc/logout/sid";

/** A single-use authorization code of 256 bits, stored by its hash, valid for a minute. */
export async function issueAuthorizationCode(p: {
  request: AuthorizationRequest;
  userId: string;
  grantId: string;
  sessionId: string;
  authTime: Date;
  authMethod: string;
}): Promise<string> {
  const code = randomToken(secretBytes.code);
  await db().oidcAuthorizationCode.create({
    data: {
      codeHash: sha256Hex(code),
      clientId: p.request.clientId,
      userId: p.userId,
      grantId: p.grantId,
      sid: sidOf(p.sessionId),
      redirectUri: p.request.redirectUri,
      scopes: p.request.scopes,
      nonce: p.request.nonce ?? null,
      codeChallenge: p.request.codeChallenge,
      authTime: p.authTime,
      authMethod: p.authMethod,
      dpopJkt: p.request.dpopJkt ?? null,
      expiresAt: new Date(Date.now() + oidcTtl.authorizationCodeSeconds * 1000),
    },
  });
  return code;
}
