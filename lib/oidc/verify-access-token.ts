import "server-only";
import { invalidatedCache } from "@/lib/db/invalidated-cache";
import { preparedQuery } from "@/lib/db/prepared-query";
import { InsufficientScope, InvalidToken, OAuthError } from "@/lib/oidc/errors";
import { verifyOidcAccessTokenJwt } from "@/lib/oidc/signing";
import { checkTokenBinding, type TokenPresentation } from "@/lib/oidc/checks/check-token-binding";

export type VerifiedAccessToken = { clientId: string; sub?: string; scope: string[]; jti: string };

/**
 * Checks a bearer access token for Guildhall's own APIs. Checks:
 * - a JWT of type at+jwt, signed by a published OIDC key, issued by us, for us, not expired;
 * - its record exists and is not revoked, its client is still approved, and
 *   for a user's token the consent stands and the user is not disabled;
 * - when asked, it carries `requiredScope`;
 * - a DPoP-bound token comes with a proof by its key, made for this request
 *   (verifyPresentedAccessToken); a bound token presented as a bearer token
 *   is refused.
 * Throws InvalidToken (401) or InsufficientScope (403), OAuthErrors whose
 * `error` is the RFC 6750 code.
 */
export async function verifyAccessToken(
  token: string,
  opts: { requiredScope?: string; presentation?: TokenPresentation } = {},
): Promise<VerifiedAccessToken> {
  const record = await verifyPresentedAccessToken(token, opts.presentation ?? { scheme: "bearer" });
  if (opts.requiredScope && !record.scope.includes(opts.requiredScope)) throw new InsufficientScope(opts.requiredScope);
  return { clientId: record.clientId, sub: record.sub, scope: record.scope, jti: record.jti };
}

/**
 * The one check of an access token at any of our resources (userinfo, the
 * machine APIs): the token verifies and is live (verifyAccessTokenRecord),
 * and it is presented as it must be (checkTokenBinding): a DPoP-bound token
 * only with the DPoP scheme and a proof by its key for this method and URL,
 * over this token, never seen before. Any 401 to a DPoP caller challenges
 * with DPoP (RFC 9449 §7.1), whatever the reason.
 */
export async function verifyPresentedAccessToken(token: string, presentation: TokenPresentation) {
  try {
    const record = await verifyAccessTokenRecord(token);
    await checkTokenBinding(token, record.jkt, presentation);
    return record;
  } catch (e) {
    if (presentation.scheme === "dpop" && e instanceof OAuthError && e.status === 401) e.challenge = "DPoP";
    throw e;
  }
}

type TokenRow = {
  clientId: string;
  kind: string;
  userId: string | null;
  grantId: string | null;
  sid: string | null;
  scopes: string[];
  revoked: boolean;
  clientStatus: string;
  grantRevoked: boolean | null;
  grantFound: boolean;
  email: string | null;
  name: string | null;
  emailVerifiedAt: Date | null;
  userDisabled: boolean | null;
};

const TOKEN_CHECKS_SQL = `
  SELECT t."clientId", t."kind", t."userId", t."grantId", t."sid", t."scopes", (t."revokedAt" IS NOT NULL) AS "revoked",
         c."status" AS "clientStatus", (g."revokedAt" IS NOT NULL) AS "grantRevoked", (g."id" IS NOT NULL) AS "grantFound",
         u."email", u."name", u."emailVerifiedAt", (u."disabledAt" IS NOT NULL) AS "userDisabled"
  FROM "OidcToken" t
  JOIN "OidcClient" c ON c."id" = t."clientId"
  LEFT JOIN "OidcGrant" g ON g."id" = t."grantId"
  LEFT JOIN "User" u ON u."id" = t."userId"
  WHERE t."id" = $1`;

// The row these checks read, per jti, while the invalidation feed is live:
// revoking the token, its grant or its client, or disabling or editing its
// user notifies every process (see the migration's triggers), and the
// process that made the change drops it at once.
const tokenChecks = invalidatedCache<TokenRow>({ ttlMs: 10_000, maxEntries: 10_000 });

function jktOf(payload: Record<string, unknown>): string | undefined {
  const cnf = payload.cnf;
  return typeof cnf === "object" && cnf !== null && "jkt" in cnf && typeof cnf.jkt === "string" ? cnf.jkt : undefined;
}

/**
 * The same checks, returning what userinfo needs too (the user's basic
 * fields). One query, prepared: this runs on every API call and userinfo request.
 */
export async function verifyAccessTokenRecord(token: string) {
  let payload: Awaited<ReturnType<typeof verifyOidcAccessTokenJwt>>;
  try {
    payload = await verifyOidcAccessTokenJwt(token);
  } catch {
    throw new InvalidToken("the access token is invalid or expired");
  }
  const jti = String(payload.jti);
  const row = await tokenChecks.get(
    jti,
    async () => (await preparedQuery<TokenRow>("oidc_access_token_checks", TOKEN_CHECKS_SQL, [jti]))[0],
  );
  const userProblem = row?.userId !== null && (!row?.grantFound || row.grantRevoked || !row.email || row.userDisabled);
  if (
    row?.kind !== "access" ||
    row.revoked ||
    row.clientStatus !== "approved" ||
    row.clientId !== payload.client_id ||
    userProblem
  ) {
    throw new InvalidToken("the access token is revoked");
  }
  const user =
    row.userId && row.email
      ? { id: row.userId, email: row.email, name: row.name, emailVerifiedAt: row.emailVerifiedAt }
      : null;
  return {
    clientId: row.clientId,
    sub: user ? String(payload.sub) : undefined,
    scope: row.scopes,
    jti,
    userId: row.userId,
    user,
    sid: row.sid,
    /** RFC 9449: the thumbprint of the key the token is bound to (its signed cnf.jkt), if any. */
    jkt: jktOf(payload),
    payload,
  };
}
