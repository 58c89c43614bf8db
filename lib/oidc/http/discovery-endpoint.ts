import { corsHeaders, oauthRoute, preflight } from "@/lib/oidc/http/oauth-route";
import { discoveryBody } from "@/lib/oidc/discovery";

/**
 * The discovery endpoint, `/.well-known/openid-configuration`: OpenID Provider
 * metadata, cacheable since it changes only with configuration. Served by
 * app/.well-known/openid-configuration/route.ts and by the protocol fast lane
 * (lib/oidc/http/install-protocol-fast-lane.ts), which call these very functions.
 */
export const GET = oauthRoute(async () => new Response(discoveryBody(), { headers: { "content-type": "application/json", "cache-control": "public, max-age=300", ...corsHeaders } }));
export const OPTIONS = preflight;
