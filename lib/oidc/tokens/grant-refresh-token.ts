import "server-only";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { oidcTtl } from "@/lib/oidc/config";
import { InvalidDpopProof, InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient } from "@/lib/oidc/errors";
import type { DpopBinding } from "@/lib/oidc/tokens/dpop-binding";
import { parseScope } from "@/lib/oidc/scopes";
import { ensureOidcSigningKeys } from "@/lib/oidc/signing";
import { TOKEN_TX } from "@/lib/oidc/config";
import { issueUserTokens, revokeTokenFamily } from "@/lib/oidc/tokens/issue-user-tokens";

/**
 * refresh_token (RFC 6749 §6), rotated on every use. Checks:
 * - the client registered this grant; refresh_token is present;
 * - the token exists, belongs to this client, is neither revoked nor expired;
 * - a token bound to a DPoP key (a public client's, RFC 9449 §5) comes with a proof by that key;
 * - a requested scope is within the original grant;
 * - the consent is in force and the user not disabled;
 * - the token was not used before. A reuse within the grace window (two
 *   concurrent refreshes) gets fresh tokens of the same family; a later reuse
 *   means the token leaked, and the whole family is revoked.
 */
export async function grantRefreshToken(client: OidcClient, params: Record<string, string>, dpop: DpopBinding = {}) {
  if (!client.grantTypes.includes("refresh_token"))
    throw new UnauthorizedClient("the client may not use refresh_token");
  if (!params.refresh_token) throw new InvalidRequest("refresh_token is missing");
  const rt = await db().oidcToken.findUnique({ where: { tokenHash: sha256Hex(params.refresh_token) } });
  if (rt?.kind !== "refresh" || rt.clientId !== client.id || !rt.userId || !rt.familyId || !rt.grantId)
    throw new InvalidGrant("the refresh token is invalid");
  const { userId, familyId, grantId } = rt;
  if (rt.revokedAt) throw new InvalidGrant("the refresh token was revoked");
  if (rt.expiresAt < new Date()) throw new InvalidGrant("the refresh token has expired");
  if (rt.dpopJkt && !dpop.jkt)
    throw new InvalidDpopProof("the refresh token is bound to a DPoP key: send a DPoP proof");
  if (rt.dpopJkt && dpop.jkt !== rt.dpopJkt)
    throw new InvalidGrant("the DPoP proof is not by the key the refresh token is bound to");
  const scopes = params.scope === undefined ? rt.scopes : parseScope(params.scope);
  for (const s of scopes) if (!rt.scopes.includes(s)) throw new InvalidScope(`scope "${s}" was not granted`);

  await ensureOidcSigningKeys();
  const result = await db().$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.oidcToken.updateMany({
      where: { id: rt.id, usedAt: null, revokedAt: null },
      data: { usedAt: now },
    });
    if (count === 0) {
      const again = await tx.oidcToken.findUniqueOrThrow({
        where: { id: rt.id },
        select: { usedAt: true, revokedAt: true },
      });
      const withinGrace =
        again.usedAt &&
        !again.revokedAt &&
        now.getTime() - again.usedAt.getTime() <= oidcTtl.refreshGraceSeconds * 1000;
      if (!withinGrace) {
        const revoked = await revokeTokenFamily(familyId, tx);
        await appendAuditEvent(tx, {
          actor: { type: "client", id: client.id },
          action: "oidc_refresh_token.reused",
          subject: { type: "oidc_grant", id: grantId },
          state: { familyRevoked: true, tokensRevoked: revoked },
          data: { clientId: client.id, tokensRevoked: revoked },
        });
        return null;
      }
    }
    const grant = await tx.oidcGrant.findUnique({ where: { id: grantId }, select: { revokedAt: true } });
    const user = await tx.user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
    if (!grant || grant.revokedAt || !user || user.disabledAt) throw new InvalidGrant("the grant is no longer valid");
    return issueUserTokens(tx, client, {
      userId: userId,
      scopes,
      grantedScopes: rt.scopes,
      grantId: grantId,
      familyId: familyId,
      sid: rt.sid ?? "",
      authTime: rt.authTime ?? rt.createdAt,
      authMethod: rt.authMethod ?? "email_code",
      dpopJkt: dpop.jkt,
    });
  }, TOKEN_TX);
  if (!result) throw new InvalidGrant("the refresh token was already used");
  return result;
}
