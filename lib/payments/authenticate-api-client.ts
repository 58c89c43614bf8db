import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/oidc/errors";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";

/**
 * The caller of a machine API: a bearer access token (RFC 9068 JWT from the
 * client-credentials grant) carrying `scope`. A missing or bad token is
 * UNAUTHENTICATED with reason invalid_token, a token without the scope
 * FORBIDDEN with reason insufficient_scope (the RFC 6750 codes).
 */
export async function authenticateApiClient(
  authorization: string | null,
  scope: string,
): Promise<{ clientId: string; jti: string }> {
  const match = authorization?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i);
  if (!match)
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "A bearer access token is required.",
      reason: "invalid_token",
    });
  try {
    const token = await verifyAccessToken(match[1], { requiredScope: scope });
    return { clientId: token.clientId, jti: token.jti };
  } catch (e) {
    if (e instanceof OAuthError) {
      if (e.status === 403 || e.error === "insufficient_scope")
        throw new AppError("FORBIDDEN", {
          userMessage: `The access token lacks the scope ${scope}.`,
          reason: "insufficient_scope",
        });
      throw new AppError("UNAUTHENTICATED", {
        userMessage: "The access token is invalid, expired or revoked.",
        reason: "invalid_token",
      });
    }
    throw e;
  }
}

/** The RFC 6750 challenge for an API error response. */
export function bearerChallenge(status: number, reason: string | undefined, scope: string): string | null {
  if (status === 401) return `Bearer error="invalid_token", scope="${scope}"`;
  if (status === 403 && reason === "insufficient_scope") return `Bearer error="insufficient_scope", scope="${scope}"`;
  return null;
}
