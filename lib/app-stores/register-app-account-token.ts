import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/oidc/errors";
import { verifyAccessTokenRecord } from "@/lib/oidc/verify-access-token";
import { registerAppAccountToken } from "@/lib/app-stores/app-account-token";

/**
 * POST /api/v1/app-account-token: the app, signed in as a user through its
 * OIDC client, asks for the token to set on its purchases. Needs a user's
 * bearer access token (a client-credentials token names no account:
 * FORBIDDEN, reason USER_TOKEN_REQUIRED); the token is made from the pairwise
 * subject that client sees.
 */
export async function registerAppAccountTokenForBearer(authorization: string | null) {
  const match = authorization?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i);
  if (!match)
    throw new AppError("UNAUTHENTICATED", {
      reason: "invalid_token",
      userMessage: "A bearer access token is required.",
    });
  let record: Awaited<ReturnType<typeof verifyAccessTokenRecord>>;
  try {
    record = await verifyAccessTokenRecord(match[1]);
  } catch (e) {
    if (e instanceof OAuthError)
      throw new AppError("UNAUTHENTICATED", {
        reason: "invalid_token",
        userMessage: "The access token is invalid, expired or revoked.",
      });
    throw e;
  }
  if (!record.userId || !record.sub)
    throw new AppError("FORBIDDEN", {
      reason: "USER_TOKEN_REQUIRED",
      userMessage: "An app account token is made for a signed-in user; this token names no user.",
    });
  return registerAppAccountToken({ userId: record.userId, clientId: record.clientId, subject: record.sub });
}
