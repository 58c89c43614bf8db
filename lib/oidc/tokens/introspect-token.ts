import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";
import { issuer } from "@/lib/oidc/config";
import { subjectFor } from "@/lib/oidc/subject";
import { findToken } from "@/lib/oidc/tokens/find-token";

/**
 * Token introspection (RFC 7662). A client learns about its own tokens only;
 * anything else, and any token that is expired, revoked, rotated away or whose
 * client is no longer approved, is `{ active: false }` and nothing more.
 */
export async function introspectToken(caller: OidcClient, token: string) {
  const record = await findToken(token);
  const now = new Date();
  const inactive = { active: false } as const;
  if (
    !record ||
    record.clientId !== caller.id ||
    record.revokedAt ||
    record.expiresAt <= now ||
    record.client.status !== "approved"
  )
    return inactive;
  if (record.kind === "refresh" && record.usedAt) return inactive;
  return {
    active: true,
    iss: issuer(),
    client_id: record.clientId,
    scope: record.scopes.join(" "),
    token_type: record.kind === "access" ? (record.dpopJkt ? "DPoP" : "Bearer") : "refresh_token",
    // RFC 9449 §6.2: a resource server that introspects learns the key to check proofs against.
    ...(record.dpopJkt ? { cnf: { jkt: record.dpopJkt } } : {}),
    sub: record.userId ? subjectFor(record.client, record.userId) : record.clientId,
    ...(record.kind === "access" ? { aud: issuer(), jti: record.id } : {}),
    iat: Math.floor(record.createdAt.getTime() / 1000),
    exp: Math.floor(record.expiresAt.getTime() / 1000),
    ...(record.authTime ? { auth_time: Math.floor(record.authTime.getTime() / 1000) } : {}),
  };
}
