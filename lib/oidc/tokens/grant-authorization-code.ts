import "server-only";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { InvalidDpopProof, InvalidGrant, InvalidRequest, UnauthorizedClient } from "@/lib/oidc/errors";
import type { DpopBinding } from "@/lib/oidc/tokens/dpop-binding";
import { checkPkceVerifier } from "@/lib/oidc/checks/check-pkce";
import { ensureOidcSigningKeys } from "@/lib/oidc/signing";
import { TOKEN_TX } from "@/lib/oidc/config";
import { issueUserTokens, revokeTokenFamily } from "@/lib/oidc/tokens/issue-user-tokens";

/**
 * authorization_code (RFC 6749 §4.1.3). Checks:
 * - the client registered this grant; code and redirect_uri are present;
 * - the code exists, was issued to this client for this exact redirect_uri, and has not expired;
 * - the PKCE code_verifier matches the S256 challenge (RFC 7636 §4.6);
 * - a code bound to a DPoP key (dpop_jkt, RFC 9449 §10) comes with a proof by that key;
 * - the consent behind it is still in force and the user is not disabled;
 * - the code is unused. A second use is refused, and everything the first use
 *   issued is revoked (RFC 6749 §4.1.2), since one of the two callers stole it.
 */
export async function grantAuthorizationCode(
  client: OidcClient,
  params: Record<string, string>,
  dpop: DpopBinding = {},
) {
  if (!client.grantTypes.includes("authorization_code"))
    throw new UnauthorizedClient("the client may not use authorization_code");
  if (!params.code) throw new InvalidRequest("code is missing");
  if (!params.redirect_uri) throw new InvalidRequest("redirect_uri is missing");

  const codeHash = sha256Hex(params.code);
  const code = await db().oidcAuthorizationCode.findUnique({ where: { codeHash } });
  if (!code || code.clientId !== client.id) throw new InvalidGrant("the authorization code is invalid");
  if (code.redirectUri !== params.redirect_uri)
    throw new InvalidGrant("redirect_uri does not match the authorization request");
  if (code.expiresAt < new Date() && !code.usedAt) throw new InvalidGrant("the authorization code has expired");
  checkPkceVerifier(params.code_verifier, code.codeChallenge);
  if (code.dpopJkt && !dpop.jkt) throw new InvalidDpopProof("the code is bound to a DPoP key: send a DPoP proof");
  if (code.dpopJkt && dpop.jkt !== code.dpopJkt)
    throw new InvalidGrant("the DPoP proof is not by the key the code is bound to");

  await ensureOidcSigningKeys();
  const result = await db().$transaction(async (tx) => {
    const { count } = await tx.oidcAuthorizationCode.updateMany({
      where: { codeHash, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count === 0) {
      const revoked = await revokeTokenFamily(codeHash, tx);
      await appendAuditEvent(tx, {
        actor: { type: "client", id: client.id },
        action: "oidc_code.reused",
        subject: { type: "oidc_grant", id: code.grantId },
        state: { familyRevoked: true, tokensRevoked: revoked },
        data: { clientId: client.id, tokensRevoked: revoked },
      });
      return null;
    }
    const grant = await tx.oidcGrant.findUnique({ where: { id: code.grantId }, select: { revokedAt: true } });
    const user = await tx.user.findUnique({ where: { id: code.userId }, select: { disabledAt: true } });
    if (!grant || grant.revokedAt || !user || user.disabledAt) throw new InvalidGrant("the grant is no longer valid");
    return issueUserTokens(tx, client, {
      userId: code.userId,
      scopes: code.scopes,
      grantId: code.grantId,
      familyId: codeHash,
      sid: code.sid,
      authTime: code.authTime,
      authMethod: code.authMethod,
      nonce: code.nonce,
      dpopJkt: dpop.jkt,
    });
  }, TOKEN_TX);
  // Thrown after the transaction, so the revocation it recorded is committed.
  if (!result) throw new InvalidGrant("the authorization code was already used");
  return result;
}
