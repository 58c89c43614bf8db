import { db } from "@/lib/db/client";
import { issuer } from "@/lib/oidc/config";
import { InsufficientScope, InvalidToken } from "@/lib/oidc/errors";
import { verifyOidcJwt } from "@/lib/oidc/signing";

export type VerifiedAccessToken = { clientId: string; sub?: string; scope: string[]; jti: string };

/**
 * Checks a bearer access token for Guildhall's own APIs. Checks:
 * - a JWT of type at+jwt, signed by a published OIDC key, issued by us, for us, not expired;
 * - its record exists and is not revoked, and its client is still approved;
 * - when asked, it carries `requiredScope`.
 * Throws InvalidToken (401) or InsufficientScope (403), OAuthErrors whose
 * `error` is the RFC 6750 code.
 */
export async function verifyAccessToken(token: string, opts: { requiredScope?: string } = {}): Promise<VerifiedAccessToken> {
  const record = await verifyAccessTokenRecord(token);
  if (opts.requiredScope && !record.scope.includes(opts.requiredScope)) throw new InsufficientScope(opts.requiredScope);
  return { clientId: record.clientId, sub: record.sub, scope: record.scope, jti: record.jti };
}

/** The same checks, returning the stored record too (the user behind the token, its session). */
export async function verifyAccessTokenRecord(token: string) {
  let payload;
  try {
    ({ payload } = await verifyOidcJwt(token, { issuer: issuer(), audience: issuer(), typ: "at+jwt", requiredClaims: ["jti", "exp", "client_id"] }));
  } catch {
    throw new InvalidToken("the access token is invalid or expired");
  }
  const jti = String(payload.jti);
  const row = await db().oidcToken.findUnique({ where: { id: jti }, include: { client: { select: { status: true } } } });
  if (!row || row.kind !== "access" || row.revokedAt || row.client.status !== "approved" || row.clientId !== payload.client_id) {
    throw new InvalidToken("the access token is revoked");
  }
  const isClientToken = row.userId === null;
  return { clientId: row.clientId, sub: isClientToken ? undefined : String(payload.sub), scope: row.scopes, jti, userId: row.userId, grantId: row.grantId, sid: row.sid, expiresAt: row.expiresAt, payload };
}
