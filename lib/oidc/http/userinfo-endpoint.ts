import { jsonAnswer, oauthEndpoint, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import type { PlainRequest } from "@/lib/http/serve-route-handler-like-next";
import { InvalidRequest, InvalidToken } from "@/lib/oidc/errors";
import { getUserinfo } from "@/lib/oidc/get-userinfo";

/** The bearer token, from the Authorization header or (POST only) the form body (RFC 6750 §2), never both. */
async function bearerOf(req: PlainRequest): Promise<string> {
  const header = req.headers.get("authorization");
  const fromHeader = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  const fromBody =
    req.method === "POST" && req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")
      ? (await readParams(req)).access_token
      : undefined;
  if (fromHeader && fromBody) throw new InvalidRequest("give the access token once");
  const token = fromHeader ?? fromBody;
  if (!token) throw new InvalidToken("no access token provided");
  return token;
}

/**
 * The UserInfo endpoint, `/oidc/userinfo` (GET and POST). Served by
 * app/oidc/userinfo/route.ts and by the protocol fast lane, which call these
 * very functions.
 */
export const GET = oauthEndpoint(async (req) => jsonAnswer(await getUserinfo(await bearerOf(req))), {
  cors: true,
  challenge: "Bearer",
});
export const POST = GET;
export const OPTIONS = preflight;
