import "server-only";
import { jsonAnswer, oauthEndpoint, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";

/**
 * The token endpoint, `/oidc/token`: form-encoded POST only, answers never
 * cached. Served by app/oidc/token/route.ts and by the protocol fast lane,
 * which call these very functions.
 */
export const POST = oauthEndpoint(async (req) => jsonAnswer(await handleTokenRequest(req, await readParams(req))), {
  cors: true,
  challenge: "Basic",
});
export const OPTIONS = preflight;
