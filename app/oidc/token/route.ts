import { jsonNoStore, oauthRoute, preflight, readParams } from "@/lib/oidc/http/oauth-route";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";

/** The token endpoint: form-encoded POST only, answers never cached. */
export const POST = oauthRoute(async (req) => jsonNoStore(await handleTokenRequest(req, await readParams(req))), { cors: true, challenge: "Basic" });
export const OPTIONS = preflight;
