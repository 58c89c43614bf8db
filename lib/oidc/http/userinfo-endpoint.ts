import { jsonAnswer, oauthEndpoint, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import type { PlainRequest } from "@/lib/http/serve-route-handler-like-next";
import { endpoint } from "@/lib/oidc/config";
import { InvalidRequest, InvalidToken, isOAuthError } from "@/lib/oidc/errors";
import { getUserinfo } from "@/lib/oidc/get-userinfo";
import { dpopHeaderOf } from "@/lib/oidc/checks/check-dpop-proof";
import type { TokenPresentation } from "@/lib/oidc/checks/check-token-binding";

/**
 * The access token and how it was presented: `Authorization: Bearer` or
 * (POST only) the form body (RFC 6750 §2), never both; or `Authorization:
 * DPoP` with a DPoP header (RFC 9449 §7), whose proof is made for this
 * endpoint as the issuer names it.
 */
async function tokenOf(req: PlainRequest): Promise<{ token: string; presentation: TokenPresentation }> {
  const header = req.headers.get("authorization");
  if (header && /^dpop /i.test(header)) {
    const token = header.slice(5).trim();
    if (!token) throw new InvalidToken("no access token provided", "DPoP");
    const proof = dpopHeaderOf(req.headers);
    return { token, presentation: { scheme: "dpop", proof, method: req.method, url: endpoint("userinfo") } };
  }
  const fromHeader = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  const fromBody =
    req.method === "POST" && req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")
      ? (await readParams(req)).access_token
      : undefined;
  if (fromHeader && fromBody) throw new InvalidRequest("give the access token once");
  const token = fromHeader ?? fromBody;
  if (!token) throw new InvalidToken("no access token provided");
  return { token, presentation: { scheme: "bearer" } };
}

async function userinfo(req: PlainRequest) {
  const { token, presentation } = await tokenOf(req);
  try {
    return await getUserinfo(token, presentation);
  } catch (e) {
    // A 401 to a DPoP caller challenges with DPoP (RFC 9449 §7.1), whatever the reason.
    if (presentation.scheme === "dpop" && isOAuthError(e) && e.status === 401) e.challenge = "DPoP";
    throw e;
  }
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
