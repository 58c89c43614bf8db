import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/oidc/errors";
import { verifyPresentedAccessToken } from "@/lib/oidc/verify-access-token";
import { presentedAccessToken } from "@/lib/oidc/checks/presented-access-token";
import { AccessTokenRefused } from "@/lib/payments/authenticate-api-client";
import { registerAppAccountToken } from "@/lib/app-stores/app-account-token";

/**
 * POST /api/v1/app-account-token: the app, signed in as a user through its
 * OIDC client, asks for the token to set on its purchases. Needs a user's
 * access token (Bearer, or DPoP with its proof for this URL; checked as
 * userinfo checks one, so a DPoP-bound token shown as Bearer is refused) (a client-credentials token names no account:
 * FORBIDDEN, reason USER_TOKEN_REQUIRED); the token is made from the pairwise
 * subject that client sees.
 */
export async function registerAppAccountTokenForCaller(req: {
  method: string;
  url: string;
  headers: Pick<Headers, "get">;
}) {
  const dpop = /^dpop\s/i.test(req.headers.get("authorization") ?? "");
  let record: Awaited<ReturnType<typeof verifyPresentedAccessToken>>;
  try {
    const presented = presentedAccessToken(req);
    if (!presented)
      throw new AccessTokenRefused("Bearer", "invalid_token", "An access token is required (Bearer or DPoP).");
    record = await verifyPresentedAccessToken(presented.token, presented.presentation);
  } catch (e) {
    if (e instanceof OAuthError)
      throw new AccessTokenRefused(
        dpop || e.challenge === "DPoP" ? "DPoP" : "Bearer",
        e.error === "invalid_dpop_proof" ? "invalid_dpop_proof" : "invalid_token",
        `The access token was refused: ${e.description}.`,
      );
    throw e;
  }
  if (!record.userId || !record.sub)
    throw new AppError("FORBIDDEN", {
      reason: "USER_TOKEN_REQUIRED",
      userMessage: "An app account token is made for a signed-in user; this token names no user.",
    });
  return registerAppAccountToken({ userId: record.userId, clientId: record.clientId, subject: record.sub });
}
