import "server-only";
import { jsonAnswer, oauthEndpoint, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import type { PlainRequest } from "@/lib/http/serve-route-handler-like-next";
import { endpoint } from "@/lib/oidc/config";
import { InvalidRequest, InvalidToken } from "@/lib/oidc/errors";
import { getUserinfo } from "@/lib/oidc/get-userinfo";
import { type PresentedAccessToken, presentedAccessToken } from "@/lib/oidc/checks/presented-access-token";

/**
 * The access token and how it was presented: `Authorization: Bearer` or
 * (POST only) the form body (RFC 6750 §2), never both; or `Authorization:
 * DPoP` with a DPoP header (RFC 9449 §7), whose proof is made for this
 * endpoint as the issuer names it.
 */
async function tokenOf(req: PlainRequest): Promise<PresentedAccessToken> {
  const fromHeader = presentedAccessToken(req, endpoint("userinfo"));
  if (fromHeader?.presentation.scheme === "dpop") return fromHeader;
  const fromBody =
    req.method === "POST" && req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")
      ? (await readParams(req)).access_token
      : undefined;
  if (fromHeader && fromBody) throw new InvalidRequest("give the access token once");
  if (fromHeader) return fromHeader;
  if (!fromBody) throw new InvalidToken("no access token provided");
  return { token: fromBody, presentation: { scheme: "bearer" } };
}

async function userinfo(req: PlainRequest) {
  const { token, presentation } = await tokenOf(req);
  return getUserinfo(token, presentation);
}

/**
 * The UserInfo endpoint, `/oidc/userinfo` (GET and POST). Served by
 * app/oidc/userinfo/route.ts and by the protocol fast lane, which call these
 * very functions.
 */
export const GET = oauthEndpoint(async (req) => jsonAnswer(await userinfo(req)), {
  cors: true,
  challenge: "Bearer",
});
export const POST = GET;
export const OPTIONS = preflight;
