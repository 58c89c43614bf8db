import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/oidc/errors";
import { verifyAccessToken } from "@/lib/oidc/verify-access-token";
import { presentedAccessToken } from "@/lib/oidc/checks/presented-access-token";
import { DPOP_SIGNING_ALGS } from "@/lib/oidc/checks/check-dpop-proof";

/**
 * A refused access token at a machine API: UNAUTHENTICATED, with the scheme
 * its WWW-Authenticate challenge names (RFC 9449 §7.1: a DPoP caller, or a
 * DPoP-bound token shown as a bearer token, is challenged with DPoP).
 */
export class AccessTokenRefused extends AppError {
  constructor(
    readonly scheme: "Bearer" | "DPoP",
    reason: "invalid_token" | "invalid_dpop_proof",
    userMessage: string,
  ) {
    super("UNAUTHENTICATED", { reason, userMessage });
  }
}

/**
 * The caller of a machine API: an access token (RFC 9068 JWT from the
 * client-credentials grant) carrying `scope`, presented as `Authorization:
 * Bearer`, or as `Authorization: DPoP` with a DPoP proof made for this
 * request's method and URL (RFC 9449 §7). It is checked exactly as userinfo
 * checks one (verifyAccessToken → verifyPresentedAccessToken), so a
 * DPoP-bound token is refused as a bearer token or without its proof. A
 * missing or bad token is UNAUTHENTICATED (reason invalid_token, or
 * invalid_dpop_proof for the proof), a token without the scope FORBIDDEN
 * (insufficient_scope): the RFC 6750 / 9449 codes.
 */
export async function authenticateApiClient(
  req: { method: string; url: string; headers: Pick<Headers, "get"> },
  scope: string,
): Promise<{ clientId: string; jti: string }> {
  let scheme: "Bearer" | "DPoP" = /^dpop\s/i.test(req.headers.get("authorization") ?? "") ? "DPoP" : "Bearer";
  try {
    const presented = presentedAccessToken(req);
    if (!presented)
      throw new AccessTokenRefused("Bearer", "invalid_token", "An access token is required (Bearer or DPoP).");
    const token = await verifyAccessToken(presented.token, {
      requiredScope: scope,
      presentation: presented.presentation,
    });
    return { clientId: token.clientId, jti: token.jti };
  } catch (e) {
    if (e instanceof OAuthError) {
      if (e.status === 403 || e.error === "insufficient_scope")
        throw new AppError("FORBIDDEN", {
          userMessage: `The access token lacks the scope ${scope}.`,
          reason: "insufficient_scope",
        });
      if (e.challenge === "DPoP") scheme = "DPoP";
      if (e.error === "invalid_dpop_proof")
        throw new AccessTokenRefused(scheme, "invalid_dpop_proof", `The DPoP proof was refused: ${e.description}.`);
      throw new AccessTokenRefused(
        scheme,
        "invalid_token",
        scheme === "DPoP"
          ? `The access token was refused: ${e.description}.`
          : "The access token is invalid, expired or revoked.",
      );
    }
    throw e;
  }
}

const DPOP_ALGS = `algs="${DPOP_SIGNING_ALGS.join(" ")}"`;

/**
 * The WWW-Authenticate challenge for an API error response (RFC 6750 §3,
 * RFC 9449 §7.1): a 401 names what was wrong under the scheme the caller
 * must use, and always offers DPoP with its algorithms beside Bearer.
 */
export function apiTokenChallenge(status: number, e: unknown, scope?: string): string | null {
  const reason = e instanceof AppError ? e.reason : undefined;
  const scoped = scope ? `, scope="${scope}"` : "";
  if (status === 401) {
    if (e instanceof AccessTokenRefused && e.scheme === "DPoP")
      return `DPoP error="${e.reason}"${scoped}, ${DPOP_ALGS}`;
    return `Bearer error="invalid_token"${scoped}, DPoP ${DPOP_ALGS}`;
  }
  if (status === 403 && reason === "insufficient_scope") return `Bearer error="insufficient_scope"${scoped}`;
  return null;
}
